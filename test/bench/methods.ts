/**
 * The benchmark run behind the README's section on the other two methods and distillation.
 *
 *   npx tsx test/bench/methods.ts --run       runs pair.ts, trainable.ts and distill.ts (hours on 2 cores),
 *                                             two at a time, then collects
 *   npx tsx test/bench/methods.ts             collects their latest outputs in build/bench/ into
 *                                             build/bench/methods-latest.json and re-renders the README
 *   npx tsx test/bench/methods.ts --record    also keeps the run in test/bench/results/ (JSON, and the pair
 *                                             plots rendered from it)
 *   npx tsx test/bench/methods.ts --from F    re-renders the README from a recorded run F, running nothing
 *
 * Outputs read: pair.json (Iris; and MNIST when run whole), pair-mnist*.json (--skip-iris, by seed),
 * trainable.json or trainable-fullbatch.json + trainable-sgd.json, distill.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { machineInfo } from './lib/machine.ts';
import { methodsMarkdown, methodTargets, replaceMethods, type MethodsRun, type PairBench, type TrainableBench, type DistillBench } from './methods-markdown.ts';
import { writeFileAtomic } from '../../host/io/atomic-write.ts';
import { mismatchPlot, stepPlot } from './lib/pair-plots.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OUT = `${root}build/bench/`;
const { values } = parseArgs({ options: { run: { type: 'boolean' }, record: { type: 'boolean' }, from: { type: 'string' } } });
const log = (s: string): void => void process.stdout.write(s + '\n');

const JOBS: { name: string; script: string; args: string[]; outputs: string[] }[] = [
  { name: 'MTJ pair (Iris sweeps, Iris 1–2 hidden, MNIST 4 hidden)', script: 'pair.ts', args: [], outputs: ['pair.json'] },
  { name: 'trainable activation (paper setup, SGD setup)', script: 'trainable.ts', args: [], outputs: ['trainable.json'] },
  { name: 'distillation', script: 'distill.ts', args: [], outputs: ['distill.json'] },
];

async function runAll(): Promise<void> {
  const run = promisify(execFile);
  const queue = [...JOBS];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      log(`— ${job.name} —`);
      const r = await run(process.execPath, ['--import', 'tsx', `${root}test/bench/${job.script}`, ...job.args], { cwd: root, maxBuffer: 1 << 28 });
      log(r.stdout.split('\n').slice(-5).join('\n'));
    }
  };
  await Promise.all([worker(), worker()]);
}

const read = <T>(name: string): T | undefined => (existsSync(OUT + name) ? (JSON.parse(readFileSync(OUT + name, 'utf8')) as T) : undefined);
const finished = (name: string): string => statSync(OUT + name).mtime.toISOString();

function collect(): MethodsRun {
  const parts: MethodsRun['parts'] = [];
  const pair: PairBench = { ...(read<PairBench>('pair.json') ?? {}) };
  if (existsSync(OUT + 'pair.json')) parts.push({ name: 'pair' + (pair.mnist ? '' : ', Iris'), command: `npx tsx test/bench/pair.ts${pair.mnist ? '' : ' --skip-mnist'}`, finished: finished('pair.json') });
  // MNIST runs: pair.json's own, or those of pair-mnist*.json (--skip-iris, one or more seeds per file), by seed.
  const mnistFiles = readdirSync(OUT).filter((f) => /^pair-mnist.*\.json$/.test(f)).sort();
  for (const f of mnistFiles) {
    const m = read<PairBench>(f)?.mnist;
    if (!m?.runs) continue;
    if (!pair.mnist) pair.mnist = { ...m, runs: [] };
    const seen = new Set(pair.mnist.runs.map((r) => r.seed));
    pair.mnist.runs.push(...m.runs.filter((r) => !seen.has(r.seed)));
    if (m.pairUncalibrated.epochs > pair.mnist.pairUncalibrated.epochs) pair.mnist.pairUncalibrated = m.pairUncalibrated;
    const seeds = m.runs.map((r) => r.seed).join(',');
    const out = f === 'pair-mnist.json' ? '' : ` --out ${f}`;
    parts.push(
      m.runs.length
        ? { name: `pair, MNIST, seed ${seeds}`, command: `npx tsx test/bench/pair.ts --skip-iris --mnist-seeds ${seeds}${out}`, finished: finished(f) }
        : { name: 'pair, MNIST, uncalibrated twins', command: `npx tsx test/bench/pair.ts --skip-iris --uncalibrated-only --uncalibrated-epochs ${m.pairUncalibrated.epochs}${out}`, finished: finished(f) },
    );
  }
  pair.mnist?.runs.sort((a, b) => a.seed - b.seed);
  const trainable: TrainableBench = {};
  for (const [file, command] of [
    ['trainable.json', 'npx tsx test/bench/trainable.ts'],
    ['trainable-fullbatch.json', 'npx tsx test/bench/trainable.ts --skip-sgd --out trainable-fullbatch.json'],
    ['trainable-fullbatch-2000.json', 'npx tsx test/bench/trainable.ts --skip-sgd --iterations 2000 --variants paper,fixed,slope1 --out trainable-fullbatch-2000.json'],
    ['trainable-sgd.json', 'npx tsx test/bench/trainable.ts --skip-full-batch --out trainable-sgd.json'],
  ] as const) {
    const t = read<TrainableBench>(file);
    if (!t) continue;
    // Full-batch runs are deterministic (same seed, same kernel): per variant, the longest curve is kept.
    if (t.fullBatch) {
      const fb = (trainable.fullBatch ??= { ...t.fullBatch, runs: {} });
      fb.iterations = Math.max(fb.iterations, t.fullBatch.iterations);
      for (const [v, curve] of Object.entries(t.fullBatch.runs) as [keyof typeof fb.runs, NonNullable<(typeof fb.runs)['fixed']>][]) {
        if ((fb.runs[v]?.length ?? 0) < curve.length) fb.runs[v] = curve;
      }
    }
    if (t.sgd) trainable.sgd = t.sgd;
    if (t.fullBatch || t.sgd) parts.push({ name: `trainable activation${t.fullBatch ? ', paper setup' : ''}${t.sgd ? ', SGD setup' : ''}`, command, finished: finished(file) });
  }
  const distill = read<DistillBench>('distill.json');
  if (distill) parts.push({ name: 'distillation', command: 'npx tsx test/bench/distill.ts', finished: finished('distill.json') });
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root }).toString().trim();
  parts.sort((a, b) => a.finished.localeCompare(b.finished));
  return { date: new Date().toISOString(), commit, machine: machineInfo(), parts, pair, trainable, distill };
}

if (values.run) await runAll();
let run: MethodsRun;
if (values.from) {
  run = JSON.parse(readFileSync(values.from, 'utf8')) as MethodsRun;
} else {
  run = collect();
  mkdirSync(OUT, { recursive: true });
  writeFileSync(OUT + 'methods-latest.json', JSON.stringify(run, null, 1) + '\n');
  if (values.record) {
    const dir = `${root}test/bench/results/`;
    const stamp = run.date.slice(0, 10);
    writeFileSync(`${dir}methods-${stamp}.json`, JSON.stringify(run, null, 1) + '\n');
    if (run.pair.stepSweep) writeFileSync(dir + 'pair-step.svg', await stepPlot(run.pair.stepSweep));
    if (run.pair.mismatchSweep) writeFileSync(dir + 'pair-mismatch.svg', await mismatchPlot(run.pair.mismatchSweep));
    log(`recorded in test/bench/results/methods-${stamp}.json`);
  }
}
const md = methodsMarkdown(run);
const readme = `${root}README.md`;
await writeFileAtomic(readme, replaceMethods(readFileSync(readme, 'utf8'), md));
for (const t of methodTargets(run)) log(`${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`);
log('README.md methods section regenerated');
