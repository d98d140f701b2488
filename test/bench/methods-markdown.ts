/**
 * The README's section on the other two methods (MTJ-pair finite differences, trainable activation)
 * and distillation, generated from a recorded run of their benchmarks (test/bench/methods.ts).
 * Every figure comes from the run's JSON; nothing is typed in by hand.
 */
import type { MachineInfo } from './lib/machine.ts';
import type { SweepPoint } from './lib/pair-sweep-plot.ts';
import { replaceReadmeSection } from './lib/readme-section.ts';

interface IrisResult {
  schedule: { epochs: number; lr: number; decay: number; calibrate: boolean; step: number; splits: number };
  pair1: number; pair2: number; bpTanh1: number; bpTanh2: number;
  pair1Uncalibrated?: number; pair2Uncalibrated?: number; pair2OtherDevices?: number[];
}
interface PairMnistResult {
  layout: number[]; epochs: number; lr: number; decay: number; train: number;
  runs: { seed: number; pairCalibrated: number; bpTanh: number; pairSeconds: number }[];
  pairUncalibrated: { epochs: number; testAccuracy: number };
}
export interface PairBench { stepSweep?: SweepPoint[]; mismatchSweep?: SweepPoint[]; iris?: IrisResult; mnist?: PairMnistResult }

interface FullBatchPoint { iteration: number; testAccuracy: number; loss: number; kRange?: [number, number]; cRange?: [number, number] }
interface SgdRow { layout: number[]; algorithm: string; variant: string; seed: number; epochs: number; testAccuracy: number; kRange: number[]; cRange: number[] }
export interface TrainableBench {
  fullBatch?: { iterations: number; train: number; lr: number; layout: number[]; kernelCheck: number; runs: Partial<Record<'fixed' | 'paper' | 'slope1', FullBatchPoint[]>> };
  sgd?: { schedule: string; deviceRange: { kMin: number; kMax: number; cMin: number; cMax: number }; rows: SgdRow[] };
}

/** One student setting; accuracies per seed (or one number for a single seed). */
interface DistillRow { student: number[]; algorithm: string; epochs: number; temperature: number; alpha: number; learningRate?: number[]; seeds?: number[]; withoutTeacher: number | number[]; withTeacher: number | number[] }
const perSeed = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);
const distillGain = (rows: DistillRow[]): number => mean(rows.flatMap((s) => perSeed(s.withTeacher))) - mean(rows.flatMap((s) => perSeed(s.withoutTeacher)));
export interface DistillBench { teacher: { layout: number[]; testAccuracy: number; epochs?: number }; students: DistillRow[]; [key: string]: unknown }

export interface MethodsRun {
  date: string;
  commit: string;
  machine: MachineInfo;
  /** Which benchmark produced each part, and when. */
  parts: { name: string; command: string; finished: string }[];
  pair: PairBench;
  trainable: TrainableBench;
  distill?: DistillBench;
}

const pct = (x: number): string => (100 * x).toFixed(2) + '%';
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));
const meanText = (xs: number[]): string => (xs.length === 0 ? '–' : xs.length === 1 ? pct(xs[0]) : `${pct(mean(xs))} ± ${(100 * sd(xs)).toFixed(2)} (n = ${xs.length})`);
const range = (r?: number[]): string => (r ? `[${r.map((v) => v.toFixed(2)).join(', ')}]` : '–');

function table(header: string[], rows: (string | number)[][]): string {
  const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

/** Iterations of the paper's full-batch setup. */
const PAPER_ITERATIONS = 1000;

export interface MethodTarget { name: string; value: string; met: boolean }

export function methodTargets(run: MethodsRun): MethodTarget[] {
  const t: MethodTarget[] = [];
  const iris = run.pair.iris;
  if (iris) {
    t.push({ name: 'pair, Iris 1 hidden layer, validation ≥ 93.3% (mean of splits)', value: pct(iris.pair1), met: iris.pair1 >= 0.933 });
    t.push({ name: 'pair, Iris 2 hidden layers, validation ≥ 93.3%', value: pct(iris.pair2), met: iris.pair2 >= 0.933 });
  }
  const m = run.pair.mnist;
  if (m) {
    const p = m.runs.map((r) => r.pairCalibrated);
    t.push({ name: `pair, MNIST ${m.layout.length - 2} hidden layers ≥ 97.9%`, value: meanText(p), met: mean(p) >= 0.979 });
  }
  const fb = run.trainable.fullBatch?.runs;
  // The paper's budget: 1000 iterations (curves may run on past it).
  const last = (c?: FullBatchPoint[]): number | undefined => c?.find((q) => q.iteration === PAPER_ITERATIONS)?.testAccuracy;
  const fixed = last(fb?.fixed), paper = last(fb?.paper), slope1 = last(fb?.slope1);
  if (fixed !== undefined) t.push({ name: 'paper setup, fixed sigmoid ≈ 88% at 1000 iterations', value: pct(fixed), met: Math.abs(fixed - 0.88) <= 0.01 });
  if (paper !== undefined) t.push({ name: "paper setup, trainable k, c (paper's init) ≥ 91.3% at 1000 iterations", value: pct(paper), met: paper >= 0.913 });
  if (slope1 !== undefined) t.push({ name: 'paper setup, trainable k, c (from k = 1) ≥ 91.3% at 1000 iterations', value: pct(slope1), met: slope1 >= 0.913 });
  const d = run.distill;
  if (d) {
    for (const a of [...new Set(d.students.map((s) => s.algorithm))]) {
      const rows = d.students.filter((s) => s.algorithm === a);
      const gain = distillGain(rows);
      // Per-seed gains (same initial weights and data order with and without the teacher): the gain counts
      // when it exceeds two standard errors of their mean.
      const gains = rows.flatMap((s) => perSeed(s.withTeacher).map((w, i) => w - perSeed(s.withoutTeacher)[i]));
      const se = gains.length > 1 ? sd(gains) / Math.sqrt(gains.length) : 0;
      t.push({ name: `distillation helps the ${a} student (gain > 2 standard errors over seeds)`, value: `${gain >= 0 ? '+' : ''}${(100 * gain).toFixed(2)} ± ${(100 * se).toFixed(2)} points`, met: gain > 2 * se });
    }
  }
  return t;
}

function pairSection(p: PairBench): string[] {
  const out: string[] = ['### MTJ-pair finite differences (`--algo pair`, `test/bench/pair.ts`)', ''];
  const iris = p.iris;
  if (iris) {
    const s = iris.schedule;
    out.push(
      `**Iris** (tanh, ${s.splits} seeded stratified 80/20 splits, mean validation accuracy; ${s.epochs} epochs, lr ${s.lr}/(1 + ${s.decay}·epoch); ` +
        `Δz = ${s.step}, i.e. ΔI = 10 µA; default mismatch: gain CV 2 %, σ(I0) = 2 µA, 0.5 mV read noise)`,
      '',
    );
    out.push(
      table(
        ['net', 'pair, twins calibrated', 'pair, uncalibrated', 'exact bp, tanh'],
        [
          ['4-16-3', pct(iris.pair1), iris.pair1Uncalibrated !== undefined ? pct(iris.pair1Uncalibrated) : '–', pct(iris.bpTanh1)],
          ['4-16-16-3', pct(iris.pair2), iris.pair2Uncalibrated !== undefined ? pct(iris.pair2Uncalibrated) : '–', pct(iris.bpTanh2)],
        ],
      ),
      '',
    );
    if (iris.pair2OtherDevices?.length) out.push(`4-16-16-3 with ${iris.pair2OtherDevices.length} other mismatch draws of the simulated twins: ${iris.pair2OtherDevices.map(pct).join(', ')}.`, '');
  }
  const sweep = (title: string, pts: SweepPoint[] | undefined, xName: string, plot: string): void => {
    if (!pts?.length) return;
    const xs = [...new Set(pts.map((q) => q.x))];
    const series = [...new Set(pts.map((q) => q.series))];
    out.push(title, '');
    out.push(table([xName, ...series], xs.map((x) => [x, ...series.map((s) => { const q = pts.find((r) => r.x === x && r.series === s); return q ? pct(q.accuracy) : '–'; })])), '');
    out.push(`![${xName} sweep](test/bench/results/${plot})`, '');
  };
  sweep('**Step ΔI** (Iris 4-16-3, constant lr 0.05, 300 epochs, twins uncalibrated; Δz = ΔI·b in pre-activation units; plot below)', p.stepSweep, 'Δz', 'pair-step.svg');
  sweep('**Mismatch and read noise** (Iris 4-16-3, Δz = 0.1, same schedule; gain CV of the twins, offset σ = CV/b; plot below)', p.mismatchSweep, 'gain CV', 'pair-mismatch.svg');
  const m = p.mnist;
  if (m) {
    out.push(`**MNIST, ${m.layout.length - 2} hidden layers** (${m.layout.join('-')}, tanh, ${m.epochs} epochs, lr ${m.lr}/(1 + ${m.decay}·epoch), ${m.train.toLocaleString('en-US')} training samples, default mismatch)`, '');
    out.push(
      table(
        ['seed', 'pair, twins calibrated', 'exact bp, tanh', 'pair training, wall clock (machine shared with other runs)'],
        m.runs.map((r) => [r.seed, pct(r.pairCalibrated), pct(r.bpTanh), `${Math.round(r.pairSeconds)} s`]),
      ),
      '',
    );
    out.push(`Uncalibrated twins (seed 1, their mismatch entering f′ as (V_B − V_A)/ΔI): ${pct(m.pairUncalibrated.testAccuracy)} after ${m.pairUncalibrated.epochs} epoch(s).`, '');
  }
  return out;
}

function trainableSection(t: TrainableBench): string[] {
  const out: string[] = ['### Trainable slope and shift (`--trainable-activation`, `test/bench/trainable.ts`)', ''];
  const fb = t.fullBatch;
  if (fb) {
    out.push(
      `**The paper's setup** (${fb.layout.join('-')}, sigmoid hidden and output, per-output cross-entropy, full-batch GD, lr ${fb.lr}, ` +
        `${PAPER_ITERATIONS} iterations${fb.iterations > PAPER_ITERATIONS ? ` (continued to ${fb.iterations} here)` : ''}, pixels/1000, init U(−0.12, 0.12), ${fb.train.toLocaleString('en-US')} training samples; float64, ` +
        `kernel checked against the TypeScript iteration to ${fb.kernelCheck.toExponential(0)}): test accuracy by iteration`,
      '',
    );
    const names = { fixed: 'fixed σ(z)', paper: "trainable, paper's init (k, c ~ U(−0.12, 0.12))", slope1: 'trainable from k = 1 + U(−0.12, 0.12)' } as const;
    const present = (['fixed', 'paper', 'slope1'] as const).filter((v) => fb.runs[v]?.length);
    const its = [...new Set(present.flatMap((v) => fb.runs[v]!.map((q) => q.iteration)))].sort((a, b) => a - b).filter((i, _n, all) => i === all[all.length - 1] || i % 200 === 0 || i === 100);
    out.push(
      table(
        ['iteration', ...present.map((v) => names[v])],
        its.map((i) => [i, ...present.map((v) => { const q = fb.runs[v]!.find((r) => r.iteration === i); return q ? pct(q.testAccuracy) : '–'; })]),
      ),
      '',
    );
    const tail = present.filter((v) => v !== 'fixed').map((v) => { const q = fb.runs[v]!.at(-1)!; return `${names[v]}: k ∈ ${range(q.kRange)}, c ∈ ${range(q.cRange)} (iteration ${q.iteration})`; });
    if (tail.length) out.push(`Trained ranges: ${tail.join('; ')}.`, '');
  }
  const sgd = t.sgd;
  if (sgd) {
    const r = sgd.deviceRange;
    out.push(
      `**spintrain's SGD setup** (the engine, fixed point; batch 1, ${sgd.schedule}, ${sgd.rows[0]?.epochs ?? '–'} epochs, mean ± sd over seeds; ` +
        `device range: k ∈ [${r.kMin.toFixed(2)}, ${r.kMax.toFixed(2)}], c ∈ [${r.cMin.toFixed(2)}, ${r.cMax.toFixed(2)}])`,
      '',
    );
    const variants = [...new Set(sgd.rows.map((x) => x.variant))];
    const nets = [...new Set(sgd.rows.map((x) => `${x.layout.join('-')} ${x.algorithm}`))];
    out.push(
      table(
        ['net', ...variants],
        nets.map((n) => [n, ...variants.map((v) => meanText(sgd.rows.filter((x) => `${x.layout.join('-')} ${x.algorithm}` === n && x.variant === v).map((x) => x.testAccuracy)))]),
      ),
      '',
    );
  }
  return out;
}

function distillSection(d: DistillBench): string[] {
  const out: string[] = ['### Knowledge distillation (`--teacher`, `test/bench/distill.ts`)', ''];
  const s0 = d.students[0];
  out.push(
    `Teacher ${d.teacher.layout.join('-')} (bp, sigmoid${d.teacher.epochs ? `, ${d.teacher.epochs} epochs` : ''}): ${pct(d.teacher.testAccuracy)}. ` +
      (s0 ? `Students ${s0.student.join('-')}, ${s0.epochs} epochs, T = ${s0.temperature}, α = ${s0.alpha}, mean ± sd over seeds; each seed has the same initial weights, schedule and data order with and without the teacher.` : ''),
    '',
  );
  const algos = [...new Set(d.students.map((s) => s.algorithm))];
  out.push(
    table(
      ['student', 'without teacher', 'with teacher', 'difference'],
      algos.map((a) => {
        const rows = d.students.filter((s) => s.algorithm === a);
        const gain = distillGain(rows);
        const lr = rows[0].learningRate ? ` (lr ${rows[0].learningRate.join(' / ')})` : '';
        return [`${rows[0].student.join('-')} ${a}${lr}`, meanText(rows.flatMap((s) => perSeed(s.withoutTeacher))), meanText(rows.flatMap((s) => perSeed(s.withTeacher))), `${gain >= 0 ? '+' : ''}${(100 * gain).toFixed(2)} points`];
      }),
    ),
    '',
  );
  return out;
}

export function methodsMarkdown(run: MethodsRun): string {
  const m = run.machine;
  const out: string[] = [
    `_Generated by \`test/bench/methods.ts\` from the benchmark outputs below (kept in \`test/bench/results/methods-${run.date.slice(0, 10)}.json\`), collected ${run.date.slice(0, 16).replace('T', ' ')} UTC at commit ${run.commit.slice(0, 10)}, on ${m.cpu} (${m.cores} cores), Node ${m.node}. Parts:_`,
    '',
    ...run.parts.map((p) => `- _${p.name}: \`${p.command}\`, finished ${p.finished.replace('T', ' ').slice(0, 16)} UTC_`),
    '',
  ];
  out.push(...pairSection(run.pair), ...trainableSection(run.trainable));
  if (run.distill) out.push(...distillSection(run.distill));
  out.push('**Targets of these methods**', '');
  out.push(table(['target', 'measured', ''], methodTargets(run).map((t) => [t.name, t.value, t.met ? 'met' : '**missed**'])));
  return out.join('\n');
}

/** Replaces the text between the README's methods markers. */
export function replaceMethods(readme: string, section: string): string {
  return replaceReadmeSection(readme, 'methods', section);
}
