/**
 * Engine state ↔ weights file (host/io/weights-file.ts). Tensors: W<l> and B<l> per weight layer
 * (Q24, row-major n[l+1] × n[l]) and, with momentum, VW<l> and VB<l>; with a trainable activation,
 * K<k> and C<k> (slopes and shifts of hidden layer k ≥ 1, Q24). meta holds the network
 * configuration (JSON), the last finished epoch and the run's figures, so a checkpoint resumes.
 */
import { loadWeights, saveWeights, type WeightsFile } from '../io/weights-file.ts';
import { WeightsFileError } from '../io/errors.ts';
import { Q_ACT, Q_WEIGHT, validateNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from './config.ts';
import type { SpintrainEngine } from './wasm-engine.ts';

export function engineToWeightsFile(engine: SpintrainEngine<TrainingAlgorithm>, meta: Record<string, string | number> = {}): WeightsFile {
  const { layout } = engine;
  const tensors: WeightsFile['tensors'] = [];
  for (let l = 0; l < layout.length - 1; l++) {
    tensors.push({ name: `W${l}`, data: engine.weights(l).slice() }, { name: `B${l}`, data: engine.biases(l).slice() });
    if (engine.config.momentum > 0) {
      tensors.push({ name: `VW${l}`, data: engine.velocityWeights(l).slice() }, { name: `VB${l}`, data: engine.velocityBiases(l).slice() });
    }
  }
  if (engine.config.trainableActivation) {
    for (let k = 1; k < layout.length - 1; k++) {
      tensors.push({ name: `K${k}`, data: engine.slopes(k).slice() }, { name: `C${k}`, data: engine.shifts(k).slice() });
    }
  }
  return {
    layout: [...layout],
    activation: `${engine.config.algorithm}-${engine.config.activation}`,
    fracBits: { weights: Q_WEIGHT, activations: Q_ACT },
    tensors,
    meta: { config: JSON.stringify(engine.config), ...meta },
  };
}

/** The network configuration stored in a weights file. */
export function configOf(w: WeightsFile, file: string): NetworkConfig {
  const raw = w.meta?.config;
  if (typeof raw !== 'string') throw new WeightsFileError(file, 'meta.config', 'missing: not a spintrain checkpoint');
  try {
    return validateNetworkConfig(JSON.parse(raw) as NetworkConfig);
  } catch (e) {
    throw new WeightsFileError(file, 'meta.config', (e as Error).message);
  }
}

/** Loads a weights file's tensors into an engine of the same layout. */
export function applyWeightsFile(engine: SpintrainEngine<TrainingAlgorithm>, w: WeightsFile, file: string): void {
  const { layout } = engine;
  if (w.layout.length !== layout.length || w.layout.some((n, i) => n !== layout[i])) {
    throw new WeightsFileError(file, 'layout', `expected ${layout.join('-')}, found ${w.layout.join('-')}`);
  }
  if (w.fracBits.weights !== Q_WEIGHT) throw new WeightsFileError(file, 'fracBits.weights', `expected ${Q_WEIGHT}, found ${w.fracBits.weights}`);
  const byName = new Map(w.tensors.map((t) => [t.name, t.data]));
  const take = (name: string, into: Int32Array, optional = false): void => {
    const t = byName.get(name);
    if (!t) {
      if (optional) return;
      throw new WeightsFileError(file, `tensors.${name}`, 'missing');
    }
    if (t.length !== into.length) throw new WeightsFileError(file, `tensors.${name}`, `expected ${into.length} elements, found ${t.length}`);
    into.set(t);
  };
  for (let l = 0; l < layout.length - 1; l++) {
    take(`W${l}`, engine.weights(l));
    take(`B${l}`, engine.biases(l));
    if (engine.config.momentum > 0) {
      take(`VW${l}`, engine.velocityWeights(l), true);
      take(`VB${l}`, engine.velocityBiases(l), true);
    }
  }
  if (engine.config.trainableActivation) {
    for (let k = 1; k < layout.length - 1; k++) {
      take(`K${k}`, engine.slopes(k));
      take(`C${k}`, engine.shifts(k));
    }
  }
}

export async function saveCheckpoint(path: string, engine: SpintrainEngine<TrainingAlgorithm>, meta: Record<string, string | number>): Promise<void> {
  await saveWeights(path, engineToWeightsFile(engine, meta));
}

export async function loadCheckpoint(path: string): Promise<{ file: WeightsFile; config: NetworkConfig; epoch: number }> {
  const file = await loadWeights(path);
  const config = configOf(file, path);
  const epoch = file.meta?.epoch;
  return { file, config, epoch: typeof epoch === 'number' ? epoch : -1 };
}
