// A deep network's weights file (host/engine/deep-saved-model.ts, the STWT format of host/io/weights-file.ts):
// saving and loading gives back the same network bit for bit (weights, biases, predictions, and the training it
// continues); a file that is corrupt, or whose header, meta or tensors do not match the network it records, is
// refused with a WeightsFileError naming the file and the field; the dense engine refuses a deep file and this
// loader a dense one. A network trained with topk, random or adaptive records its algorithm and knob and reloads
// the same (a bad knob refused at meta.config.sparsity…). Also: the epoch loop (host/train/deep-trainer.ts) trains exactly as the deep benchmark's
// own loop did (test/bench/deep.ts: its order, counters and energy).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Split } from '../../host/data/dataset.ts';
import { WeightsFileError } from '../../host/io/errors.ts';
import { decodeWeights, encodeWeights, saveWeights, type WeightsFile } from '../../host/io/weights-file.ts';
import { loadCheckpoint } from '../../host/engine/checkpoint.ts';
import type { DeepConfig } from '../../host/engine/deep-config.ts';
import { DeepEngine } from '../../host/engine/deep-engine.ts';
import { deepModelOf, deepPredict, deepToWeightsFile, loadDeepModel, saveDeepModel } from '../../host/engine/deep-saved-model.ts';
import { energyPerSample } from '../../host/energy/energy-model.ts';
import { Rng } from '../../host/rng.ts';
import { trainDeep } from '../../host/train/deep-trainer.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-deep-model-'));

/** A small net with every kind of node: conv (padded), max pool, dense, an identity skip into a linear dense node. */
const CONFIG: DeepConfig = {
  input: [1, 6, 6],
  nodes: [
    { kind: 'conv', channels: 3, kernel: 3, pad: 1 },
    { kind: 'maxpool', size: 2 },
    { kind: 'dense', units: 8 },
    { kind: 'dense', units: 8 },
    { kind: 'dense', units: 8, skip: 3, linear: true },
    { kind: 'dense', units: 3, learningRate: 0.05 },
  ],
  activation: 'tanh',
  algorithm: 'pgaf',
  pairs: 1,
  reluSampled: false,
  learningRate: 0.02,
  decay: 0.3,
  seed: 7,
};

/** Random u8 images of 3 classes, each class brighter in its own third of the rows. */
function split(n: number, seed: number): Split {
  const rng = new Rng(seed);
  const x = new Uint8Array(n * 36);
  const y = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    y[s] = s % 3;
    for (let p = 0; p < 36; p++) x[s * 36 + p] = rng.int(64) + (Math.floor(p / 12) === y[s] ? 160 : 0);
  }
  return { x, y, n };
}
const data = { train: split(60, 1), test: split(30, 2) };

function trained(config = CONFIG, epochs = 2): DeepEngine {
  const e = new DeepEngine(config);
  trainDeep(e, data, { epochs });
  return e;
}

const predictions = (e: DeepEngine, s: Split): number[] => Array.from({ length: s.n }, (_v, k) => deepPredict(e, s.x.subarray(k * 36, (k + 1) * 36)));

/** The WeightsFileError of loading `w` (as the file "bad.stw"). */
function refusal(w: WeightsFile): WeightsFileError {
  try {
    deepModelOf(decodeWeights(encodeWeights(w), 'bad.stw'), 'bad.stw');
  } catch (e) {
    expect(e).toBeInstanceOf(WeightsFileError);
    expect((e as Error).message.startsWith('bad.stw: ')).toBe(true);
    return e as WeightsFileError;
  }
  throw new Error('the file was accepted');
}

describe('deep weights file', () => {
  const engine = trained();
  const file = deepToWeightsFile(engine, { epoch: 1, testAccuracy: 0.5, dataset: 'shapes' });

  it('records the network: units per node, W<i>/B<i> per weight node, "<algorithm>-<activation>", meta.deep and meta.config', () => {
    expect(file.layout).toEqual(engine.units);
    expect(file.layout[0]).toBe(36);
    expect(file.activation).toBe('pgaf-tanh');
    expect(file.fracBits).toEqual({ weights: 24, activations: 16 });
    expect(engine.weightNodes).toEqual([1, 3, 4, 5, 6]);
    expect(file.tensors.map((t) => t.name)).toEqual(['W1', 'B1', 'W3', 'B3', 'W4', 'B4', 'W5', 'B5', 'W6', 'B6']);
    expect(JSON.parse(file.meta!.deep as string)).toEqual({ input: CONFIG.input, nodes: CONFIG.nodes });
    expect(JSON.parse(file.meta!.config as string)).toEqual({ activation: 'tanh', algorithm: 'pgaf', pairs: 1, reluSampled: false, learningRate: 0.02, decay: 0.3, seed: 7 });
    expect(file.meta).toMatchObject({ epoch: 1, testAccuracy: 0.5, dataset: 'shapes' });
    // the format is unchanged: a 32-bit file is version 1
    expect(new DataView(encodeWeights(file).buffer).getUint16(4, true)).toBe(1);
  });

  it('round trip through a file: the same network, bit for bit, and it continues training identically', async () => {
    const path = join(dir, 'net.stw');
    await saveDeepModel(path, engine, { epoch: 1 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const m = await loadDeepModel(path);
    expect(m.file).toBe(path);
    expect(m.epoch).toBe(1);
    expect(m.engine.config).toEqual(engine.config);
    expect(m.engine.units).toEqual(engine.units);
    for (const i of engine.weightNodes) {
      expect(m.engine.weights(i)).toEqual(engine.weights(i));
      expect(m.engine.biases(i)).toEqual(engine.biases(i));
    }
    expect(predictions(m.engine, data.test)).toEqual(predictions(engine, data.test));
    const a = engine.loadSplit(data.test);
    const b = m.engine.loadSplit(data.test);
    expect(m.engine.evaluate(b)).toBe(engine.evaluate(a));
    // epoch 2 from the saved state: the same rates, draws and order, so the same weights after it
    const order = Int32Array.from({ length: 60 }, (_v, k) => (k * 7) % 60);
    for (const e of [engine, m.engine]) {
      e.setEpoch(2);
      e.trainEpoch(e.loadSplit(data.train), order);
    }
    for (const i of engine.weightNodes) expect(m.engine.weights(i)).toEqual(engine.weights(i));
    // saving the loaded model again gives the same bytes
    const again = join(dir, 'again.stw');
    await saveDeepModel(again, m.engine, { epoch: 1 });
    await saveDeepModel(path, engine, { epoch: 1 });
    expect(readFileSync(again)).toEqual(readFileSync(path));
  });

  it('the predictions are those of the module\'s own evaluation', () => {
    const p = predictions(engine, data.test);
    const correct = p.filter((c, k) => c === data.test.y[k]).length;
    expect(engine.evaluate(engine.loadSplit(data.test))).toBe(correct);
  });

  it('a corrupted file is refused, naming the file and the field', async () => {
    const path = join(dir, 'corrupt.stw');
    await saveDeepModel(path, engine);
    const bytes = readFileSync(path);
    bytes[bytes.length - 40] ^= 0x10;
    writeFileSync(path, bytes);
    const e = await loadDeepModel(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WeightsFileError);
    expect(e).toMatchObject({ file: path, field: 'checksum' });
    writeFileSync(path, 'not weights at all');
    await expect(loadDeepModel(path)).rejects.toMatchObject({ file: path, field: 'magic' });
    await expect(loadDeepModel(join(dir, 'missing.stw'))).rejects.toMatchObject({ field: 'file' });
  });

  it('a dense model\'s file is refused here, and a deep file by the dense engine', async () => {
    const { meta: _m, ...rest } = file;
    const dense: WeightsFile = { ...rest, meta: { config: '{}' } };
    expect(refusal(dense).field).toBe('meta.deep');
    const path = join(dir, 'deep.stw');
    await saveDeepModel(path, engine);
    await expect(loadCheckpoint(path)).rejects.toMatchObject({ file: path, field: 'meta.deep' });
  });

  const meta = (patch: Record<string, string | number>): WeightsFile => ({ ...file, meta: { ...file.meta, ...patch } });
  const deep = (f: (net: { input: number[]; nodes: Record<string, unknown>[] }) => void): WeightsFile => {
    const net = JSON.parse(file.meta!.deep as string);
    f(net);
    return meta({ deep: JSON.stringify(net) });
  };
  const config = (patch: Record<string, unknown>): WeightsFile => meta({ config: JSON.stringify({ ...JSON.parse(file.meta!.config as string), ...patch }) });

  it.each([
    ['meta.deep is not JSON', () => meta({ deep: '{"input": [1' }), 'meta.deep'],
    ['meta.deep is a number', () => meta({ deep: 3 }), 'meta.deep'],
    ['meta.deep lacks the input', () => deep((n) => delete (n as Partial<typeof n>).input), 'meta.deep.input'],
    ['an unknown field in a node', () => deep((n) => (n.nodes[1].foo = 1)), 'meta.deep.nodes[1].foo'],
    ['an unknown kind', () => deep((n) => (n.nodes[2].kind = 'lstm')), 'meta.deep.nodes[2].kind'],
    ['a kernel the module has not', () => deep((n) => (n.nodes[0].kernel = 9)), 'meta.deep.nodes[0].kernel'],
    ['units as text', () => deep((n) => (n.nodes[2].units = '8')), 'meta.deep.nodes[2].units'],
    ['a skip from a later node', () => deep((n) => (n.nodes[4].skip = 5)), 'meta.deep.nodes[4].skip'],
    ['a node that does not fit its input', () => deep((n) => Object.assign(n.nodes[0], { kernel: 7, pad: 0 })), 'meta.deep.nodes[0]'],
    ['another width than the tensors', () => deep((n) => (n.nodes[0].channels = 4)), 'layout'],
    ['meta.config missing', () => ({ ...file, meta: Object.fromEntries(Object.entries(file.meta!).filter(([k]) => k !== 'config')) }), 'meta.config'],
    ['an unknown algorithm', () => config({ algorithm: 'sgd' }), 'meta.config.algorithm'],
    ['an unknown field in meta.config', () => config({ momentum: 0.9 }), 'meta.config.momentum'],
    ['a seed that is no integer', () => config({ seed: 1.5 }), 'meta.config.seed'],
    ['the header\'s activation differs from meta.config', () => ({ ...file, activation: 'bp-tanh' }), 'activation'],
    ['the header\'s layout differs', () => ({ ...file, layout: [...file.layout.slice(0, -1), 4] }), 'layout'],
    ['other Q formats', () => ({ ...file, fracBits: { weights: 16, activations: 16 } }), 'fracBits.weights'],
    ['a tensor too short', () => ({ ...file, tensors: file.tensors.map((t) => (t.name === 'W3' ? { ...t, data: t.data.slice(1) } : t)) }), 'tensors.W3'],
    ['a tensor missing', () => ({ ...file, tensors: file.tensors.filter((t) => t.name !== 'B6') }), 'tensors.B6'],
    ['a tensor of no weight node', () => ({ ...file, tensors: [...file.tensors, { name: 'W2', data: new Int32Array(4) }] }), 'tensors.W2'],
    ['a narrow tensor', () => ({ ...file, tensors: file.tensors.map((t) => (t.name === 'B1' ? { ...t, data: new Int32Array(t.data.length), bits: 16 as const, fracBits: 12 } : t)) }), 'tensors.B1'],
    ['a bad epoch', () => meta({ epoch: -1 }), 'meta.epoch'],
    ['a bad test accuracy', () => meta({ testAccuracy: 2 }), 'meta.testAccuracy'],
    ['a bad input transform', () => meta({ inputTransform: '{"v":1,"kind":"raw-u8","reflect":"99"}' }), 'meta.inputTransform.reflect'],
  ])('refused: %s', (_what, make, field) => {
    expect(refusal(make() as WeightsFile).field).toBe(field);
  });

  it('a file whose own tensors were all zeroed still loads (the check is of shape, not of values)', () => {
    const zero = { ...file, tensors: file.tensors.map((t) => ({ ...t, data: new Int32Array(t.data.length) })) };
    const m = deepModelOf(zero, 'zero.stw');
    expect(m.engine.weights(1).every((v) => v === 0)).toBe(true);
  });

  it('nothing half written: a save into a missing directory fails naming the file and leaves nothing', async () => {
    const path = join(dir, 'no-such-dir', 'net.stw');
    await expect(saveDeepModel(path, engine)).rejects.toThrow(path);
    await expect(saveWeights(join(dir, 'ok.stw'), file)).resolves.toBeUndefined();
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('a sparse-trained network (topk, random, adaptive) saves and reloads', () => {
  const SPARSE = [
    ['topk', { algorithm: 'topk', sparsity: 0.25 }, 'topk-tanh', 0.25],
    ['random', { algorithm: 'random', sparsity: 0.6 }, 'random-tanh', 0.6],
    ['adaptive', { algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.9, damping: 0.5 } }, 'adaptive-tanh', { minRatio: 0.1, maxRatio: 0.9, damping: 0.5 }],
  ] as const;

  it.each(SPARSE)('%s: the file records the algorithm and its knob; loading gives the same network, bit for bit', async (name, extra, activation, knob) => {
    const config: DeepConfig = { ...CONFIG, ...extra, seed: 11 };
    const e = trained(config);
    const path = join(dir, `${name}.stw`);
    await saveDeepModel(path, e, { epoch: 1 });
    const m = await loadDeepModel(path);
    expect(m.weights.activation).toBe(activation);
    expect(JSON.parse(m.weights.meta!.config as string)).toEqual({ activation: 'tanh', algorithm: name, sparsity: knob, pairs: 1, reluSampled: false, learningRate: 0.02, decay: 0.3, seed: 11 });
    expect(m.engine.config).toEqual(e.config);
    for (const i of e.weightNodes) {
      expect(m.engine.weights(i)).toEqual(e.weights(i));
      expect(m.engine.biases(i)).toEqual(e.biases(i));
    }
    expect(predictions(m.engine, data.test)).toEqual(predictions(e, data.test));
    // saving the loaded model again gives the same bytes
    const again = join(dir, `${name}-again.stw`);
    await saveDeepModel(again, m.engine, { epoch: 1 });
    expect(readFileSync(again)).toEqual(readFileSync(path));
  });

  it.each(SPARSE.slice(0, 2))('%s: the loaded model continues training as the saved one (no state besides the weights)', async (name, extra) => {
    const e = trained({ ...CONFIG, ...extra, seed: 5 });
    const path = join(dir, `${name}-continue.stw`);
    await saveDeepModel(path, e);
    const m = await loadDeepModel(path);
    const order = Int32Array.from({ length: 60 }, (_v, k) => (k * 7) % 60);
    const correct = [e, m.engine].map((x) => {
      x.setEpoch(2);
      return x.trainEpoch(x.loadSplit(data.train), order);
    });
    expect(correct[1]).toBe(correct[0]);
    for (const i of e.weightNodes) expect(m.engine.weights(i)).toEqual(e.weights(i));
  });

  it('a bp or pgaf file stores no sparsity field (its meta.config as before)', () => {
    for (const algorithm of ['bp', 'pgaf'] as const) {
      const f = deepToWeightsFile(new DeepEngine({ ...CONFIG, algorithm }));
      expect(Object.keys(JSON.parse(f.meta!.config as string))).toEqual(['activation', 'algorithm', 'pairs', 'reluSampled', 'learningRate', 'decay', 'seed']);
    }
  });

  const topk = deepToWeightsFile(new DeepEngine({ ...CONFIG, algorithm: 'topk', sparsity: 0.25 }));
  const adaptive = deepToWeightsFile(new DeepEngine({ ...CONFIG, algorithm: 'adaptive', sparsity: { minRatio: 0.1, maxRatio: 0.9, damping: 0.5 } }));
  /** `w` with meta.config patched (undefined deletes the field) and the header's activation following its algorithm. */
  const withConfig = (w: WeightsFile, patch: Record<string, unknown>): WeightsFile => {
    const c = { ...JSON.parse(w.meta!.config as string), ...patch } as Record<string, unknown>;
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete c[k];
    return { ...w, activation: `${c.algorithm as string}-${c.activation as string}`, meta: { ...w.meta, config: JSON.stringify(c) } };
  };
  const adaptiveKnob = (patch: Record<string, unknown>): WeightsFile => withConfig(adaptive, { sparsity: { minRatio: 0.1, maxRatio: 0.9, damping: 0.5, ...patch } });

  it.each([
    ['topk without its kept fraction', () => withConfig(topk, { sparsity: undefined }), 'meta.config.sparsity', 'required for topk'],
    ['a kept fraction of 0', () => withConfig(topk, { sparsity: 0 }), 'meta.config.sparsity', '(0, 1]'],
    ['a kept fraction over 1', () => withConfig(topk, { sparsity: 1.5 }), 'meta.config.sparsity', '(0, 1]'],
    ['a kept fraction that rounds to 0', () => withConfig(topk, { sparsity: 1e-6 }), 'meta.config.sparsity', 'rounds to 0'],
    ['a kept fraction as text', () => withConfig(topk, { sparsity: '0.25' }), 'meta.config.sparsity', 'expected a number'],
    ['a keep probability of 0 (random)', () => withConfig(topk, { algorithm: 'random', sparsity: 0 }), 'meta.config.sparsity', 'keep probability'],
    ['a knob for bp', () => withConfig(topk, { algorithm: 'bp' }), 'meta.config.sparsity', 'only topk, random, adaptive take'],
    ['a knob for pgaf', () => withConfig(topk, { algorithm: 'pgaf' }), 'meta.config.sparsity', 'only topk, random, adaptive take'],
    ['a number for adaptive', () => withConfig(adaptive, { sparsity: 0.5 }), 'meta.config.sparsity', '{minRatio, maxRatio, damping} for adaptive'],
    ['an object for topk', () => withConfig(adaptive, { algorithm: 'topk' }), 'meta.config.sparsity', 'the kept fraction'],
    ['an array', () => withConfig(adaptive, { sparsity: [0.1, 0.9, 0.5] }), 'meta.config.sparsity', 'expected a number (topk, random) or {minRatio'],
    ['adaptive without a knob', () => withConfig(adaptive, { sparsity: undefined }), 'meta.config.sparsity', 'required for adaptive'],
    ['an unknown field in the knob', () => adaptiveKnob({ zeta: 0.5 }), 'meta.config.sparsity.zeta', 'unknown field'],
    ['a missing field in the knob', () => withConfig(adaptive, { sparsity: { minRatio: 0.1, maxRatio: 0.9 } }), 'meta.config.sparsity.damping', 'missing'],
    ['minRatio as text', () => adaptiveKnob({ minRatio: 'low' }), 'meta.config.sparsity.minRatio', 'expected a number'],
    ['minRatio below 0', () => adaptiveKnob({ minRatio: -0.1 }), 'meta.config.sparsity.minRatio', '[0, 1]'],
    ['maxRatio below minRatio', () => adaptiveKnob({ minRatio: 0.5, maxRatio: 0.4 }), 'meta.config.sparsity.maxRatio', 'at least minRatio'],
    ['a damping of 0', () => adaptiveKnob({ damping: 0 }), 'meta.config.sparsity.damping', '(0, 1]'],
    ['an algorithm the deep module has not', () => withConfig(topk, { algorithm: 'meprop' }), 'meta.config.algorithm', 'topk, random, adaptive'],
  ])('refused: %s', (_what, make, field, says) => {
    const e = refusal(make() as WeightsFile);
    expect(e.field).toBe(field);
    expect(e.message).toContain(says);
  });
});

describe('deep epoch loop (host/train/deep-trainer.ts)', () => {
  it('trains as the deep benchmark\'s loop: the same order, accuracies, counters and energy', () => {
    const config: DeepConfig = { ...CONFIG, seed: 3 };
    const mine = new DeepEngine(config);
    const r = trainDeep(mine, data, { epochs: 3 });
    // the loop of test/bench/deep.ts as it was written
    const e = new DeepEngine(config);
    const train = e.loadSplit(data.train);
    const test = e.loadSplit(data.test);
    const rng = new Rng(config.seed * 7919 + 17);
    const accuracy: number[] = [];
    const trainAccuracy: number[] = [];
    e.resetCounters();
    for (let ep = 0; ep < 3; ep++) {
      e.setEpoch(ep);
      const order = Int32Array.from({ length: train.n }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      trainAccuracy.push(e.trainEpoch(train, order) / train.n);
      accuracy.push(e.evaluate(test) / test.n);
    }
    const c = e.counters();
    expect(r.epochs.map((p) => p.testAccuracy)).toEqual(accuracy);
    expect(r.epochs.map((p) => p.trainAccuracy)).toEqual(trainAccuracy);
    expect(r.ops).toEqual(c);
    expect(r.samples).toBe(180);
    expect(r.keptFraction).toBe(c.kept[0] / c.seen[0]);
    expect(r.keptFraction).toBeGreaterThan(0);
    expect(r.keptFraction).toBeLessThan(1);
    expect(r.energy).toEqual(energyPerSample(c, 180));
    for (const i of e.weightNodes) expect(mine.weights(i)).toEqual(e.weights(i));
    expect(r.epochs.reduce((s, p) => s + p.backwardOps, 0)).toBeCloseTo(r.backwardOpsPerSample * 180, 6);
  });
});
