/**
 * Benchmark of knowledge distillation (not part of the test suite): MNIST, a teacher 784-256-10
 * (sigmoid, bp, trained on the host in the engine, saved as a weights file) and a small student
 * 784-16-10 (bp and pgaf) trained with and without the teacher's soft targets (T, α), same epochs,
 * seed and schedule. Results: build/bench/distill.json.
 * Usage: npx tsx test/bench/distill.ts [--teacher-epochs 5] [--epochs 5] [--temperature 4] [--alpha 0.9] [--student 16]
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
const { values } = parseArgs({ options: { 'teacher-epochs': { type: 'string' }, epochs: { type: 'string' }, temperature: { type: 'string' }, alpha: { type: 'string' }, student: { type: 'string' } } });
const epochs = Number(values.epochs ?? 5);
const T = Number(values.temperature ?? 4);
const alpha = Number(values.alpha ?? 0.9);
const width = Number(values.student ?? 16);
mkdirSync(OUT, { recursive: true });
const data = loadMnist();

const teacherConfig: NetworkConfig = { ...defaultNetworkConfig, layout: [784, 256, 10], algorithm: 'bp', activation: 'sigmoid', learningRate: 0.1, decay: 0.3, seed: 7 };
const tr = await train(data, teacherConfig, { epochs: Number(values['teacher-epochs'] ?? 5) });
const teacherFile = OUT + 'distill-teacher.stw';
await saveCheckpoint(teacherFile, tr.engine, { epoch: tr.epochs.length - 1, testAccuracy: tr.testAccuracy, dataset: 'mnist' });
console.log(`teacher 784-256-10: ${(100 * tr.testAccuracy).toFixed(2)} %`);
const teacher = await Teacher.load(teacherFile);

const rows: unknown[] = [];
for (const algorithm of ['bp', 'pgaf'] as Algorithm[]) {
  const config: NetworkConfig = {
    ...defaultNetworkConfig, layout: [784, width, 10], algorithm, activation: 'sigmoid', learningRate: algorithm === 'pgaf' ? [0.025, 0.1] : 0.1, decay: 0.3, seed: 1,
  };
  const alone = await train(data, config, { epochs });
  const taught = await trainWithTeacher(data, config, { epochs, teacher, temperature: T, alpha });
  const row = { student: config.layout, algorithm, epochs, temperature: T, alpha, withoutTeacher: alone.testAccuracy, withTeacher: taught.testAccuracy };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeFileSync(OUT + 'distill.json', JSON.stringify({ teacher: { layout: teacherConfig.layout, testAccuracy: tr.testAccuracy }, students: rows }, null, 2) + '\n');
