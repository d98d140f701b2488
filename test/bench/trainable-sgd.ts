/**
 * Issue 17, "then the same comparison in the fixed-point engine within the simulated device's k, c range":
 * 784-25-10 MNIST, per-sample SGD, fixed sigmoid vs trainable k, c (not part of the test suite).
 *
 * Parts (--part):
 *   engine  the release engine (build/spintrain.wasm, SpintrainEngine), fixed point, sigmoid hidden layer.
 *           Arms 'engine/softmax/…': the engine as it is, softmax output (its cross-entropy error δ = p − y has the
 *           form of the paper's sigmoid + per-output cross-entropy δ = a − y; the engine's own sigmoid output
 *           trains on squared error, δ = (a − y)·a(1 − a)), hidden k, c: none, trainable, trainable within the
 *           simulated SOT-MTJ's box (host/device/activation-range.ts, k ∈ [0.8, 1.2], c ∈ [−3.07, 2.04]).
 *           Arms 'engine/sigmoid/…': the paper's output, σ with per-output cross-entropy, and optionally the paper's
 *           trainable k2, c2 on the 10 output units; the output error and k2, c2 come from the host
 *           (lib/trainable-output-host.ts, through trainOutputGradient), everything else is the engine's fixed point.
 *   float   float64 of the same per-sample SGD (lib/trainable-sgd-float.ts, checked first against
 *           test/harness/reference-mlp.ts): which layer's k, c carries the gain, softmax and sigmoid outputs.
 * Variants: fixed (k = 1, c = 0 everywhere), hidden (hidden k, c trained), output (output k2, c2 trained),
 *   both, and -device (every trained k, c clamped to the simulated device's box), both-hidden-device (hidden k, c in the
 *   box, output k2, c2 free: spintrain's output units are computed digitally, not by MTJs); controls fixed-outlr2/4/8:
 *   fixed activation with the output layer's rate ×2/×4/×8 (--arms only; not in the default arms).
 * Schedule as the engine's benchmarks: lr_l/(1 + 0.1·epoch), one shuffle per epoch from Rng(seed·2654435761), same
 * initial weights and order in every arm of a seed (paired). Base rates bp 0.1/0.1, pgaf 0.01 hidden / 0.1 output.
 *
 * Phases (--phase):
 *   select  one selection seed (--select-seed, default 101, not reported) on a validation split: the first 50,000
 *           training images train, the last 10,000 validate. Every arm at lr × {--scales} (default 0.125,0.25,0.5,1,2,4),
 *           validation accuracy after each epoch 1..--epochs (default 5; the schedule does not depend on the total,
 *           so epoch e of a run is the e-epoch run). The MNIST test set is not looked at.
 *   final   the reported seeds (--seeds, default 1-5) on the 60k/10k split, each arm at its selected (scale, epochs)
 *           (the best validation accuracy; ties go to fewer epochs, then the smaller rate); the test set is
 *           evaluated once, after the last epoch.
 * Arms: --arms a,b,… (default: every arm of the part; see ARMS). --from FILE prints the tables of a recorded run.
 * Results accumulate in build/bench/trainable-sgd.json (--record: also test/bench/results/trainable-sgd-<date>.json),
 * each phase with the exact command line that ran it.
 *
 * Usage:
 *   npx tsx test/bench/trainable-sgd.ts --part engine --phase select [--arms …] [--epochs 5] [--scales 0.125,0.25,0.5,1,2,4]
 *   npx tsx test/bench/trainable-sgd.ts --part engine --phase final [--seeds 1,2,3,4,5] [--record]
 *   npx tsx test/bench/trainable-sgd.ts --part float --phase select | final   (same options)
 *   npx tsx test/bench/trainable-sgd.ts --from test/bench/results/trainable-sgd-<date>.json
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type ActivationRange, type Algorithm } from '../../host/engine/config.ts';
import { Rng } from '../../host/rng.ts';
import { simActivationRange } from '../../host/device/activation-range.ts';
import { FloatSgdNet, matchesReferenceMlp, type SplitU8 } from './lib/trainable-sgd-float.ts';
import { HostOutputKc } from './lib/trainable-output-host.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const STORE = `${root}build/bench/trainable-sgd.json`;
const LAYOUT: [number, number, number] = [784, 25, 10];
const DECAY = 0.1;
const BASE_LR: Record<Algorithm, [number, number]> = { bp: [0.1, 0.1], pgaf: [0.01, 0.1] };
const VARIANTS = {
  fixed: { hidden: false, output: false, device: 'none' },
  hidden: { hidden: true, output: false, device: 'none' },
  'hidden-device': { hidden: true, output: false, device: 'all' },
  output: { hidden: false, output: true, device: 'none' },
  'output-device': { hidden: false, output: true, device: 'all' },
  both: { hidden: true, output: true, device: 'none' },
  'both-device': { hidden: true, output: true, device: 'all' },
  /** hidden k, c within the device box, output k2, c2 free (output units are computed digitally, not by MTJs). */
  'both-hidden-device': { hidden: true, output: true, device: 'hidden' },
  /** Controls: fixed activation, the output layer's rate ×2, ×4, ×8 (what a learned output slope k2 ≈ 2-3 mimics). */
  'fixed-outlr2': { hidden: false, output: false, device: 'none', outLr: 2 },
  'fixed-outlr4': { hidden: false, output: false, device: 'none', outLr: 4 },
  'fixed-outlr8': { hidden: false, output: false, device: 'none', outLr: 8 },
} as const;
type VariantName = keyof typeof VARIANTS;
/** Rates of an arm at a scale of the base: the output layer's also × the variant's outLr. */
function armLr(arm: Arm, scale: number): [number, number] {
  const v = VARIANTS[arm.variant] as { outLr?: number };
  const [a, b] = BASE_LR[arm.algorithm];
  return [a * scale, b * scale * (v.outLr ?? 1)];
}
type Part = 'engine' | 'float';
/** Default arms per part: part/output/algorithm/variant. */
const ARMS: Record<Part, string[]> = {
  engine: [
    ...(['bp', 'pgaf'] as const).flatMap((a) => (['fixed', 'hidden', 'hidden-device'] as const).map((v) => `engine/softmax/${a}/${v}`)),
    ...(['fixed', 'hidden', 'output', 'both', 'both-device', 'both-hidden-device'] as const).map((v) => `engine/sigmoid/bp/${v}`),
  ],
  float: [
    ...(['fixed', 'hidden', 'output', 'both'] as const).map((v) => `float/softmax/bp/${v}`),
    ...(['fixed', 'hidden', 'output', 'both', 'both-device', 'both-hidden-device'] as const).map((v) => `float/sigmoid/bp/${v}`),
  ],
};

interface Arm { key: string; part: Part; output: 'softmax' | 'sigmoid'; algorithm: Algorithm; variant: VariantName }
function parseArm(key: string): Arm {
  const [part, output, algorithm, variant] = key.split('/');
  if (!(part === 'engine' || part === 'float') || !(output === 'softmax' || output === 'sigmoid') || !(algorithm === 'bp' || algorithm === 'pgaf') || !(variant in VARIANTS)) {
    throw new Error(`arm '${key}': expected engine|float / softmax|sigmoid / bp|pgaf / ${Object.keys(VARIANTS).join('|')}`);
  }
  if (part === 'float' && algorithm !== 'bp') throw new Error(`arm '${key}': the float part is bp only`);
  return { key, part, output, algorithm, variant: variant as VariantName };
}

interface SelectRow { arm: string; seed: number; scale: number; lr: [number, number]; validation: number[]; seconds: number }
interface FinalRow { arm: string; seed: number; scale: number; lr: [number, number]; epochs: number; testAccuracy: number; seconds: number; ranges?: Record<string, [number, number]> }
interface Store { commands: string[]; deviceRange: ActivationRange; layout: number[]; decay: number; baseLr: typeof BASE_LR; floatCheck?: number; select: SelectRow[]; final: FinalRow[] }

const range = (v: ArrayLike<number>): [number, number] => [Math.min(...Array.from(v)), Math.max(...Array.from(v))];
const orderRng = (seed: number): Rng => new Rng((seed * 2654435761) >>> 0);

/**
 * Trains one arm for `epochs` epochs on `train`, calling `after(epoch, accuracy on `evalSet`)` after each epoch.
 * Returns the final k, c ranges.
 */
async function run(arm: Arm, seed: number, lr: [number, number], epochs: number, train: SplitU8, evalSet: SplitU8, after: (epoch: number, acc: number) => void, lastOnly = false): Promise<Record<string, [number, number]>> {
  const evalAt = (ep: number): boolean => !lastOnly || ep === epochs;
  const v = VARIANTS[arm.variant];
  const device = v.device !== 'none' ? simActivationRange() : undefined;
  const outRange = v.device === 'all' ? device : undefined;
  const order = orderRng(seed);
  const perm = (): Int32Array => order.shuffle(Int32Array.from({ length: train.n }, (_x, i) => i));
  if (arm.part === 'float') {
    const net = new FloatSgdNet({ layout: LAYOUT, output: arm.output, hidden: v.hidden, outputKc: v.output, lr, decay: DECAY, seed, range: device, outputRange: outRange });
    for (let ep = 0; ep < epochs; ep++) {
      net.setEpoch(ep);
      net.trainEpoch(train, perm());
      if (evalAt(ep + 1)) after(ep + 1, net.evaluate(evalSet) / evalSet.n);
    }
    return { ...(v.hidden ? { k1: range(net.k1), c1: range(net.c1) } : {}), ...(v.output ? { k2: range(net.k2), c2: range(net.c2) } : {}) };
  }
  const e = new SpintrainEngine({
    ...defaultNetworkConfig, layout: LAYOUT, algorithm: arm.algorithm, activation: 'sigmoid', output: 'softmax', learningRate: lr, decay: DECAY, seed,
    trainableActivation: v.hidden, ...(device && v.hidden ? { activationRange: device } : {}),
  });
  const hostOut = arm.output === 'sigmoid' || v.output ? new HostOutputKc(e, arm.output, v.output, outRange) : undefined;
  const tr = hostOut ? undefined : e.loadSplit(train), ev = hostOut ? undefined : e.loadSplit(evalSet);
  for (let ep = 0; ep < epochs; ep++) {
    e.setEpoch(ep);
    const p = perm();
    if (hostOut) {
      const eta2 = lr[1] / (1 + DECAY * ep);
      for (let q = 0; q < p.length; q++) hostOut.step(train.x.subarray(p[q] * 784, (p[q] + 1) * 784), train.y[p[q]], eta2);
      if (evalAt(ep + 1)) after(ep + 1, hostOut.evaluate(evalSet) / evalSet.n);
    } else {
      await e.trainEpoch(tr!, p);
      if (evalAt(ep + 1)) after(ep + 1, e.evaluate(ev!) / evalSet.n);
    }
  }
  const out: Record<string, [number, number]> = {};
  if (v.hidden) { out.k1 = range([...e.slopes(1)].map((x) => x / 2 ** 24)); out.c1 = range([...e.shifts(1)].map((x) => x / 2 ** 24)); }
  if (hostOut && v.output) { out.k2 = range(hostOut.k); out.c2 = range(hostOut.c); }
  e.freeSplits();
  return out;
}

function load(path: string): Store {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : { commands: [], deviceRange: simActivationRange(), layout: LAYOUT, decay: DECAY, baseLr: BASE_LR, select: [], final: [] };
}

/** The selected (scale, epochs) of an arm: best validation accuracy; ties to fewer epochs, then the smaller scale. */
function chosen(store: Store, arm: string): { scale: number; epochs: number; validation: number } | undefined {
  let best: { scale: number; epochs: number; validation: number } | undefined;
  const rows = store.select.filter((r) => r.arm === arm).sort((a, b) => a.scale - b.scale);
  for (let ep = 1; ep <= Math.max(0, ...rows.map((r) => r.validation.length)); ep++) {
    for (const r of rows) {
      const acc = r.validation[ep - 1];
      if (acc !== undefined && (!best || acc > best.validation)) best = { scale: r.scale, epochs: ep, validation: acc };
    }
  }
  return best;
}

const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
const se = (a: number[]): number => (a.length < 2 ? NaN : Math.sqrt(a.reduce((s, x) => s + (x - mean(a)) ** 2, 0) / (a.length - 1) / a.length));
const pct = (x: number): string => (100 * x).toFixed(2);

/** Paired differences (per seed) of arm a over arm b's test accuracy. */
function paired(store: Store, a: string, b: string, seeds: number[]): number[] {
  return seeds.flatMap((s) => {
    const x = store.final.find((r) => r.arm === a && r.seed === s), y = store.final.find((r) => r.arm === b && r.seed === s);
    return x && y ? [x.testAccuracy - y.testAccuracy] : [];
  });
}
const signed = (d: number[]): string => (d.length ? `${mean(d) >= 0 ? '+' : ''}${pct(mean(d))} ± ${pct(se(d))} (n = ${d.length})` : '');

/**
 * Tables: per arm the selection, per-seed test accuracy, mean ± SE; paired gain over the same family's fixed arm and,
 * for sigmoid-output arms, over the softmax fixed arm of the same part and algorithm (the engine's default output).
 */
function report(store: Store): string {
  const lines: string[] = [];
  const arms = [...new Set(store.final.map((r) => r.arm))];
  const seeds = [...new Set(store.final.map((r) => r.seed))].sort((a, b) => a - b);
  lines.push(`| arm | lr (×base) | epochs | validation | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± SE | gain over fixed (paired) ± SE | over softmax fixed (paired) ± SE |`);
  lines.push(`| --- | --- | --- | --- | ${seeds.map(() => '---').join(' | ')} | --- | --- | --- |`);
  for (const arm of arms) {
    const rows = store.final.filter((r) => r.arm === arm);
    const acc = seeds.map((s) => rows.find((r) => r.seed === s)?.testAccuracy);
    const c = chosen(store, arm);
    const fixedArm = arm.replace(/[^/]+$/, 'fixed');
    const softmaxFixed = fixedArm.replace('/sigmoid/', '/softmax/');
    const got = acc.filter((x): x is number => x !== undefined);
    lines.push(`| ${arm} | ${rows[0].lr.join('/')} (×${rows[0].scale}) | ${rows[0].epochs} | ${c ? pct(c.validation) : '?'} | ${acc.map((x) => (x === undefined ? '' : pct(x))).join(' | ')} | ${pct(mean(got))} ± ${pct(se(got))} (n = ${got.length}) | ${arm === fixedArm ? '' : signed(paired(store, arm, fixedArm, seeds))} | ${softmaxFixed === fixedArm ? '' : signed(paired(store, arm, softmaxFixed, seeds))} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      part: { type: 'string' }, phase: { type: 'string' }, arms: { type: 'string' }, epochs: { type: 'string' }, scales: { type: 'string' },
      seeds: { type: 'string' }, 'select-seed': { type: 'string' }, record: { type: 'boolean' }, from: { type: 'string' },
    },
  });
  if (values.from) {
    console.log(report(load(values.from)));
    return;
  }
  const part = values.part as Part;
  if (part !== 'engine' && part !== 'float') throw new Error('--part: expected engine or float');
  const arms = (values.arms ? values.arms.split(',') : ARMS[part]).map(parseArm);
  if (arms.some((a) => a.part !== part)) throw new Error(`--arms: every arm must belong to --part ${part}`);
  const data = loadMnist();
  const store = load(STORE);
  const command = `npx tsx test/bench/trainable-sgd.ts ${process.argv.slice(2).join(' ')}`;
  store.commands.push(`${new Date().toISOString()} ${command}`);
  const save = (): void => {
    mkdirSync(`${root}build/bench/`, { recursive: true });
    writeFileSync(STORE, JSON.stringify(store, null, 1) + '\n');
    if (values.record) writeFileSync(`${root}test/bench/results/trainable-sgd-${new Date().toISOString().slice(0, 10)}.json`, JSON.stringify(store, null, 1) + '\n');
  };
  if (part === 'float' && store.floatCheck === undefined) {
    store.floatCheck = matchesReferenceMlp(data.train, 300);
    console.log(`float trainer = ReferenceMlp within ${store.floatCheck.toExponential(1)} (relative, 300 steps)`);
  }
  const sub = (s: SplitU8, from: number, to: number): SplitU8 => ({ x: s.x.subarray(from * 784, to * 784), y: s.y.subarray(from, to), n: to - from });
  if (values.phase === 'select') {
    const seed = Number(values['select-seed'] ?? 101), epochs = Number(values.epochs ?? 5);
    const scales = (values.scales ?? '0.125,0.25,0.5,1,2,4').split(',').map(Number);
    const train = sub(data.train, 0, 50000), val = sub(data.train, 50000, 60000);
    for (const arm of arms) {
      for (const scale of scales) {
        if (store.select.some((r) => r.arm === arm.key && r.seed === seed && r.scale === scale && r.validation.length >= epochs)) continue;
        const lr = armLr(arm, scale);
        const validation: number[] = [];
        const t0 = performance.now();
        await run(arm, seed, lr, epochs, train, val, (_ep, acc) => validation.push(acc));
        const row: SelectRow = { arm: arm.key, seed, scale, lr, validation, seconds: (performance.now() - t0) / 1000 };
        store.select = store.select.filter((r) => !(r.arm === arm.key && r.seed === seed && r.scale === scale));
        store.select.push(row);
        console.log(`select ${arm.key} ×${scale}: validation ${validation.map(pct).join(' ')} (${row.seconds.toFixed(1)} s)`);
        save();
      }
      const c = chosen(store, arm.key);
      console.log(`  chosen ${arm.key}: ×${c?.scale}, ${c?.epochs} epochs (validation ${c ? pct(c.validation) : '?'})`);
    }
  } else if (values.phase === 'final') {
    const seeds = (values.seeds ?? '1,2,3,4,5').split(',').map(Number);
    for (const seed of seeds) {
      for (const arm of arms) {
        if (store.final.some((r) => r.arm === arm.key && r.seed === seed)) continue;
        const c = chosen(store, arm.key);
        if (!c) throw new Error(`no selection for ${arm.key}: run --phase select first`);
        const lr = armLr(arm, c.scale);
        let testAccuracy = NaN;
        const t0 = performance.now();
        const ranges = await run(arm, seed, lr, c.epochs, data.train, data.test, (ep, acc) => { if (ep === c.epochs) testAccuracy = acc; }, true);
        const row: FinalRow = { arm: arm.key, seed, scale: c.scale, lr, epochs: c.epochs, testAccuracy, seconds: (performance.now() - t0) / 1000, ...(Object.keys(ranges).length ? { ranges } : {}) };
        store.final.push(row);
        console.log(JSON.stringify(row));
        save();
      }
    }
    console.log(report(store));
  } else throw new Error('--phase: expected select or final');
  save();
}

await main();
