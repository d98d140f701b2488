/**
 * Benchmark of knowledge distillation (not part of the test suite): MNIST 60k/10k, a teacher 784-256-10
 * (sigmoid, bp, trained in the engine, saved as a weights file) and a small student 784-16-10 (bp and
 * pgaf) trained with and without the teacher (Hinton's loss at T, α: host/distill/distill-train.ts),
 * same epochs, seeds and learning-rate schedule, for several seeds. Results: build/bench/distill.json.
 *
 * Defaults: T = 2, α = 0.9 and the student learning rates ×0.25 (bp 0.025, pgaf [0.00625, 0.025];
 * decay 0.3), chosen on a validation split (the first 50k training samples against the last 10k) from
 * T ∈ {1, 2, 3, 4, 8}, α ∈ {0.1, 0.3, 0.5, 0.9, 1} and learning rates ×{1, 0.5, 0.25}, where ×0.25 was
 * also the best scale for the students without a teacher.
 * Usage: npx tsx test/bench/distill.ts [--teacher-epochs 15] [--epochs 10] [--temperature 2] [--alpha 0.9]
 *        [--lr-scale 0.25] [--seeds 1,2,3] [--student 16]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { train } from '../../host/train/trainer.ts';
import { defaultNetworkConfig, type Algorithm, type NetworkConfig } from '../../host/engine/config.ts';
import { saveCheckpoint } from '../../host/engine/checkpoint.ts';
import { Teacher } from '../../host/distill/teacher.ts';
import { trainWithTeacher } from '../../host/distill/distill-train.ts';

const OUT = fileURLToPath(new URL('../../build/bench/', import.meta.url));
const { values } = parseArgs({
  options: {
    'teacher-epochs': { type: 'string' }, epochs: { type: 'string' }, temperature: { type: 'string' }, alpha: { type: 'string' },
    'lr-scale': { type: 'string' }, seeds: { type: 'string' }, student: { type: 'string' },
  },
});
const teacherEpochs = Number(values['teacher-epochs'] ?? 15);
const epochs = Number(values.epochs ?? 10);
const T = Number(values.temperature ?? 2);
const alpha = Number(values.alpha ?? 0.9);
const lrScale = Number(values['lr-scale'] ?? 0.25);
const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
const width = Number(values.student ?? 16);
mkdirSync(OUT, { recursive: true });
const data = loadMnist();

const teacherConfig: NetworkConfig = { ...defaultNetworkConfig, layout: [784, 256, 10], algorithm: 'bp', activation: 'sigmoid', learningRate: 0.1, decay: 0.3, seed: 7 };
const tr = await train(data, teacherConfig, { epochs: teacherEpochs });
const teacherFile = OUT + 'distill-teacher.stw';
await saveCheckpoint(teacherFile, tr.engine, { epoch: tr.epochs.length - 1, testAccuracy: tr.testAccuracy, dataset: 'mnist' });
console.log(`teacher 784-256-10, ${teacherEpochs} epochs: ${(100 * tr.testAccuracy).toFixed(2)} %`);
const teacher = await Teacher.load(teacherFile);

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const rows: unknown[] = [];
for (const algorithm of ['bp', 'pgaf'] as Algorithm[]) {
  const learningRate = (algorithm === 'pgaf' ? [0.025, 0.1] : [0.1, 0.1]).map((lr) => lr * lrScale);
  const withoutTeacher: number[] = [];
  const withTeacher: number[] = [];
  for (const seed of seeds) {
    const config: NetworkConfig = { ...defaultNetworkConfig, layout: [784, width, 10], algorithm, activation: 'sigmoid', learningRate, decay: 0.3, seed };
    withoutTeacher.push((await train(data, config, { epochs })).testAccuracy);
    withTeacher.push((await trainWithTeacher(data, config, { epochs, teacher, temperature: T, alpha })).testAccuracy);
    console.log(`${algorithm} seed ${seed}: without ${withoutTeacher.at(-1)}, with ${withTeacher.at(-1)}`);
  }
  const row = {
    student: [784, width, 10], algorithm, epochs, learningRate, decay: 0.3, temperature: T, alpha, seeds,
    withoutTeacher, withTeacher, meanWithoutTeacher: mean(withoutTeacher), meanWithTeacher: mean(withTeacher),
    meanGain: mean(withTeacher) - mean(withoutTeacher),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeFileSync(
  OUT + 'distill.json',
  JSON.stringify({ teacher: { layout: teacherConfig.layout, epochs: teacherEpochs, learningRate: 0.1, decay: 0.3, testAccuracy: tr.testAccuracy }, students: rows }, null, 2) + '\n',
);
