// The epoch plan (host/train/epoch-plan.ts), spintrain's one training loop: its orders (seeded, a fresh
// shuffle per epoch, resumable), the order of its hooks, its limits, and that `train`, distillation and
// the power-measured run step through it: each is reproduced bit for bit by runEpochPlan with its step.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../host/data/index.ts';
import { defaultNetworkConfig, type NetworkConfig } from '../../host/engine/config.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { moduleStep, runEpochPlan, type EpochPlan, type TrainStep } from '../../host/train/epoch-plan.ts';
import { EpochOrder } from '../../host/train/epoch-order.ts';
import { train } from '../../host/train/trainer.ts';
import { distillationGradient, studentConfig, trainWithTeacher } from '../../host/distill/distill-train.ts';
import { Teacher } from '../../host/distill/teacher.ts';
import { runMarkedSteps } from '../../host/power/marked-training.ts';
import { Rng } from '../../host/rng.ts';

const iris = loadDataset('iris', { seed: 3 });
const n = iris.train.n;
const config: NetworkConfig = { ...defaultNetworkConfig, layout: [4, 8, 3], algorithm: 'pgaf', learningRate: [0.25, 0.5], decay: 0.5, momentum: 0.5, seed: 3 };

/** A step that trains nothing and records the sample indices it is handed, epoch by epoch. */
function recorder(): TrainStep & { seen: number[][] } {
  const seen: number[][] = [];
  return {
    seen,
    startEpoch: () => void seen.push([]),
    run: (order, from, to) => (seen[seen.length - 1].push(...order.subarray(from, to)), 0),
  };
}

async function ordersOf(plan: EpochPlan): Promise<number[][]> {
  const step = recorder();
  await runEpochPlan(new SpintrainEngine(config), plan, step);
  return step.seen;
}

describe('epoch orders', () => {
  it('the same seed gives the same orders; each is a permutation, fresh every epoch; another seed differs', async () => {
    const a = await ordersOf({ seed: 3, n, epochs: 3 });
    expect(await ordersOf({ seed: 3, n, epochs: 3 })).toEqual(a);
    expect(a).toHaveLength(3);
    for (const o of a) expect([...o].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_v, i) => i));
    expect(a[1]).not.toEqual(a[0]);
    expect(await ordersOf({ seed: 4, n, epochs: 3 })).not.toEqual(a);
    // EpochOrder's generator, which distillation drew its own orders from before the plan: the same sequence
    const rng = new Rng((3 * 2654435761) >>> 0);
    expect(a).toEqual([0, 1, 2].map(() => [...rng.shuffle(Int32Array.from({ length: n }, (_v, i) => i))]));
  });

  it('resuming at epoch k continues with the orders of the uninterrupted run', async () => {
    const all = await ordersOf({ seed: 3, n, epochs: 5 });
    expect(await ordersOf({ seed: 3, n, startEpoch: 2, epochs: 5 })).toEqual(all.slice(2));
  });

  it('`samples` cuts the last epoch short; every epoch has its own order', async () => {
    const o = new EpochOrder(3, n);
    const want = [[...o.next()], [...o.next()], [...o.next()].slice(0, 7)];
    const step = recorder();
    const r = await runEpochPlan(new SpintrainEngine(config), { seed: 3, n, epochs: 3, samples: 2 * n + 7 }, step);
    expect(step.seen).toEqual(want);
    expect(r).toEqual({ correct: 0, samples: 2 * n + 7, epochs: 3 });
  });
});

describe('resume', () => {
  it('epochs 0..k−1, then k..K−1 on the same engine, equal 0..K−1 in one run, bit for bit', async () => {
    const whole = new SpintrainEngine(config);
    await runEpochPlan(whole, { seed: 3, n, epochs: 4 }, moduleStep(whole, whole.loadSplit(iris.train)));
    const first = new SpintrainEngine(config);
    await runEpochPlan(first, { seed: 3, n, epochs: 2 }, moduleStep(first, first.loadSplit(iris.train)));
    // a resumed run: a fresh engine holding the checkpointed parameters (and velocities)
    const resumed = new SpintrainEngine(config);
    resumed.importParameters(first.exportParameters());
    for (let l = 0; l < 2; l++) {
      resumed.velocityWeights(l).set(first.velocityWeights(l));
      resumed.velocityBiases(l).set(first.velocityBiases(l));
    }
    await runEpochPlan(resumed, { seed: 3, n, startEpoch: 2, epochs: 4 }, moduleStep(resumed, resumed.loadSplit(iris.train)));
    expect(resumed.exportParameters()).toEqual(whole.exportParameters());
    expect(resumed.counters()).toEqual(whole.counters()); // the last epoch's
  });
});

describe('hooks', () => {
  it('run in order: epoch start (engine, step, hook), windows within chunks, chunks, the awaited epoch end', async () => {
    const engine = new SpintrainEngine(config);
    const log: string[] = [];
    const inner = moduleStep(engine, engine.loadSplit(iris.train));
    const step: TrainStep = {
      startEpoch: (e) => log.push(`step.start ${e} at epoch ${engine.currentEpoch}`),
      run: (order, from, to, sample) => (log.push(`run ${from}-${to} #${sample}`), inner.run(order, from, to, sample)),
    };
    await runEpochPlan(engine, { seed: 3, n, startEpoch: 1, epochs: 3, chunk: 50, window: 40 }, step, {
      onEpochStart: (e) => log.push(`start ${e}`),
      onWindow: (e, end) => log.push(`window ${e} ${end}`),
      onChunk: (e, done, steps) => log.push(`chunk ${e} ${done}/${steps}`),
      onEpochEnd: async (r) => {
        await new Promise((res) => setTimeout(res, 5));
        log.push(`end ${r.epoch} ${r.steps}`);
      },
    });
    const epoch = (e: number, k: number) => [
      `step.start ${e} at epoch ${e}`, `start ${e}`,
      `run 0-40 #${k}`, `window ${e} 40`, `run 40-50 #${k + 40}`, `chunk ${e} 50/120`,
      `run 50-80 #${k + 50}`, `window ${e} 80`, `run 80-100 #${k + 80}`, `chunk ${e} 100/120`,
      `run 100-120 #${k + 100}`, `window ${e} 120`, `chunk ${e} 120/120`,
      `end ${e} 120`,
    ];
    expect(log).toEqual([...epoch(1, 0), ...epoch(2, n)]);
  });

  it("'set-epoch-and-reset' gives each epoch its own counters, 'set-epoch' runs them on, 'none' leaves the epoch alone", async () => {
    const counts = async (epochStart: EpochPlan['epochStart']) => {
      const e = new SpintrainEngine(config);
      e.setEpoch(7);
      await runEpochPlan(e, { seed: 3, n, epochs: 2, epochStart }, moduleStep(e, e.loadSplit(iris.train)));
      return { seen: e.counters().seen[0], epoch: e.currentEpoch };
    };
    expect(await counts('set-epoch-and-reset')).toEqual({ seen: 8 * n, epoch: 1 });
    expect(await counts('set-epoch')).toEqual({ seen: 2 * 8 * n, epoch: 1 });
    expect((await counts('none')).epoch).toBe(7);
  });
});

describe('train, distillation and the power run step through the plan', () => {
  it('train(): the plan with the module step, bit for bit (parameters, per-epoch counters and accuracy)', async () => {
    const ends: number[] = [];
    const ref = await train(iris, config, { epochs: 3, chunk: 17, onEpochEnd: (_e, epoch) => void ends.push(epoch) });
    const engine = new SpintrainEngine(config);
    const runs: number[] = [];
    await runEpochPlan(engine, { seed: 3, n, epochs: 3 }, moduleStep(engine, engine.loadSplit(iris.train)), {
      onEpochEnd: (r) => void runs.push(r.correct),
    });
    expect(engine.exportParameters()).toEqual(ref.engine.exportParameters());
    expect(engine.counters()).toEqual(ref.epochs[2].ops);
    expect(runs.map((c) => c / n)).toEqual(ref.epochs.map((e) => e.trainAccuracy));
    expect(ends).toEqual([0, 1, 2]);
  });

  it('trainWithTeacher(): the plan with a soft-target step, bit for bit, and its resume', async () => {
    const teacherEngine = new SpintrainEngine({ ...defaultNetworkConfig, layout: [4, 8, 3], activation: 'sigmoid', algorithm: 'bp', learningRate: 0.1, seed: 4 });
    const teacher = new Teacher(teacherEngine);
    const [T, alpha] = [4, 0.5];
    const taught = await trainWithTeacher(iris, config, { epochs: 3, teacher, temperature: T, alpha });
    const engine = new SpintrainEngine(studentConfig(config));
    const C = iris.classes;
    const step: TrainStep = {
      run(order, from, to) {
        let correct = 0;
        for (let s = from; s < to; s++) {
          const i = order[s];
          const x = iris.train.x.subarray(i * 4, (i + 1) * 4);
          const q = teacher.softTarget(x, T, new Float64Array(C));
          const label = iris.train.y[i];
          if (engine.trainOutputGradient(x, (z, p, d) => distillationGradient(z, p, q, label, T, alpha, d)) === label) correct++;
        }
        return correct;
      },
    };
    const correct: number[] = [];
    await runEpochPlan(engine, { seed: config.seed, n, epochs: 3 }, step, { onEpochEnd: (r) => void correct.push(r.correct / n) });
    expect(engine.exportParameters()).toEqual(taught.engine.exportParameters());
    expect(correct).toEqual(taught.epochs.map((e) => e.trainAccuracy));
    // resumed after epoch 0 (the checkpoint's parameters and velocities in a fresh engine)
    const one = await trainWithTeacher(iris, config, { epochs: 1, teacher, temperature: T, alpha });
    const resumed = new SpintrainEngine(studentConfig(config));
    resumed.importParameters(one.engine.exportParameters());
    for (let l = 0; l < 2; l++) {
      resumed.velocityWeights(l).set(one.engine.velocityWeights(l));
      resumed.velocityBiases(l).set(one.engine.velocityBiases(l));
    }
    const rest = await trainWithTeacher(iris, config, { epochs: 3, teacher, temperature: T, alpha, engine: resumed, startEpoch: 1 });
    expect(rest.engine.exportParameters()).toEqual(taught.engine.exportParameters());
    expect(rest.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });

  it('runMarkedSteps(): the plan with its setEpoch-only start, cut within an epoch, phases hooked in order', async () => {
    const samples = 2 * n + 33;
    const marked = new SpintrainEngine(config);
    const split = marked.loadSplit(iris.train);
    const phases: string[] = [];
    const run = await runMarkedSteps(marked, split, iris.train.y, samples, config.seed, {
      forward: (k) => (phases.push(`f${k}`), async () => void phases.push(`F${k}`)),
      backward: (k) => (phases.push(`b${k}`), async () => void phases.push(`B${k}`)),
    });
    expect(phases).toEqual(Array.from({ length: samples }, (_v, k) => [`f${k}`, `F${k}`, `b${k}`, `B${k}`]).flat());
    const plain = new SpintrainEngine(config);
    const r = await runEpochPlan(plain, { seed: config.seed, n, epochs: 3, samples, epochStart: 'set-epoch' }, moduleStep(plain, plain.loadSplit(iris.train)));
    expect(run).toEqual({ correct: r.correct, epochs: 3 });
    expect(marked.exportParameters()).toEqual(plain.exportParameters());
    expect(marked.counters()).toEqual(plain.counters());
  });
});
