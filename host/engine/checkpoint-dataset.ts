/**
 * A checkpoint resumes only on the data set it was trained on. Rule: the network's inputs equal the
 * data set's features per sample, its outputs fit the data set's classes (as the trainer requires),
 * and the data set's name equals the one the checkpoint recorded (meta.dataset), when it recorded one.
 * Errors name the checkpoint file and the field.
 */
import type { Dataset } from '../data/dataset.ts';
import { WeightsFileError } from '../io/errors.ts';
import type { Checkpoint } from './checkpoint.ts';

export function checkCheckpointDataset(cp: Checkpoint, file: string, dataset: Dataset): void {
  const { layout, output } = cp.config;
  const inputs = layout[0];
  const outputs = layout[layout.length - 1];
  const classes = output === 'sigmoid' && outputs === 1 ? 2 : outputs;
  const recorded = cp.file.meta?.dataset;
  if (typeof recorded === 'string' && recorded !== dataset.name) {
    throw new WeightsFileError(file, 'meta.dataset', `the checkpoint was trained on "${recorded}", this run's data set is "${dataset.name}": resume on the same data set`);
  }
  if (inputs !== dataset.inputs || classes !== dataset.classes) {
    throw new WeightsFileError(
      file,
      'layout',
      `the checkpoint's network ${layout.join('-')} takes ${inputs} inputs and ${classes} classes; the data set ${dataset.name} has ${dataset.inputs} features per sample and ${dataset.classes} classes`,
    );
  }
}
