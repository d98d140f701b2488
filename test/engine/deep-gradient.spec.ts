// The deep module (assembly/deep.ts, graph.ts, conv.ts, pool.ts: conv, pool, dense, skips, linear nodes)
// trained with bp and pgaf against the float64 reference (test/harness/reference-deep.ts), and the reference
// against central finite differences of the loss (micrograd style). How a step is compared and within which
// bound: test/engine/deep-step-check.ts. The sparse baselines (topk, random, adaptive): deep-sparse.spec.ts.
import { describe, it, expect } from 'vitest';
import type { DeepEngine } from '../../host/engine/deep-engine.ts';
import { defaultDeepConfig, type DeepConfig } from '../../host/engine/deep-config.ts';
import type { Activation } from '../../host/engine/config.ts';
import { ReferenceDeep, deepGeometry } from '../harness/reference-deep.ts';
import { Rng } from '../../host/rng.ts';
import { ACTIVATIONS, NETS, deepConfig, step, checkLeftOut, compareCounters, type Sample } from './deep-step-check.ts';

describe('reference bp gradient equals central finite differences of the loss', () => {
  const cases = Object.keys(NETS).flatMap((name) => ACTIVATIONS.map((act) => [name, act] as const));
  it.each(cases)('%s, %s', (name, act) => {
    const net = NETS[name];
    const rng = new Rng(101 + name.length * 7 + act.length);
    const geo = deepGeometry(net.input, net.nodes);
    const weights = geo.map((g, i) => {
      if (i === 0 || g.kind !== 'conv') return new Float64Array(0);
      const fanIn = geo[i - 1].c * g.kh * g.kw;
      const r = Math.sqrt(6 / (fanIn + g.c));
      return Float64Array.from({ length: g.c * fanIn }, () => rng.uniform(-r, r));
    });
    const biases = geo.map((g, i) => (i === 0 || g.kind !== 'conv' ? new Float64Array(0) : Float64Array.from({ length: g.c }, () => rng.uniform(-0.3, 0.3))));
    const ref = new ReferenceDeep({ ...defaultDeepConfig, ...net, activation: act, algorithm: 'bp' }, { weights, biases });
    const [c, h, w] = net.input;
    ref.setInput(Array.from({ length: c * h * w }, () => (rng.next() < 0.15 ? 0 : rng.next())));
    const label = rng.int(ref.A[ref.L].length);
    ref.forward();
    ref.backward(label);
    const h0 = 1e-6;
    let checked = 0;
    const fd = (arr: Float64Array, t: number): number => {
      const keep = arr[t];
      arr[t] = keep + h0;
      const lp = ref.loss(label);
      arr[t] = keep - h0;
      const lm = ref.loss(label);
      arr[t] = keep;
      return (lp - lm) / (2 * h0);
    };
    for (let i = 1; i <= ref.L; i++) {
      for (const [arr, grad, what] of [[ref.W[i], ref.GW[i], 'w'], [ref.B[i], ref.GB[i], 'b']] as const) {
        for (let t = 0; t < arr.length; t++) {
          const numeric = fd(arr, t);
          // float rounding of the difference quotient; these draws put no ReLU kink or max-pool tie within h
          expect(Math.abs(grad[t] - numeric), `node ${i} ${what}[${t}]`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(numeric));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    // the gradient is not trivially zero
    expect(ref.GW.some((g) => g.some((v) => Math.abs(v) > 1e-3))).toBe(true);
  });
});

describe('one bp step of the module equals the reference step within the Q-format bound', () => {
  const cases = Object.keys(NETS).flatMap((name) => ACTIVATIONS.map((act) => [name, act] as const));
  it.each(cases)('%s, %s', (name, act) => {
    const rng = new Rng(7 + name.length * 13 + act.length);
    for (let trial = 0; trial < 2; trial++) step(deepConfig(NETS[name], act, { seed: 11 + trial }), rng, `${name} ${act} trial ${trial}`);
  });

  it.each([0.25, 0.0625])('learning rate %f: the step is η times the gradient (mixed net, tanh)', (eta) => {
    step(deepConfig(NETS.mixed, 'tanh', { learningRate: eta }), new Rng(33), `η ${eta}`);
  });

  it('a node\'s own learning rate (network 0.25; node 2 0.125, the output 0.5)', () => {
    const own = (k: number): number | undefined => (k === 1 ? 0.125 : k === 7 ? 0.5 : undefined);
    const nodes = NETS.mixed.nodes.map((n, k) => (own(k) && n.kind !== 'maxpool' && n.kind !== 'avgpool' ? { ...n, learningRate: own(k) } : n));
    step(deepConfig({ ...NETS.mixed, nodes }, 'relu', { learningRate: 0.25 }), new Rng(34), 'own rates');
  });
});

describe('pgaf: with the engine\'s own counts c_j, the module\'s step equals the reference\'s', () => {
  const cases: [Activation, number, boolean][] = [
    ['sigmoid', 1, false],
    ['tanh', 1, false],
    ['sigmoid', 2, false],
    ['tanh', 4, false],
    ['sigmoid', 8, false],
    ['tanh', 8, false],
    ['relu', 1, false],
    ['relu', 1, true],
    ['relu', 4, true],
  ];
  it.each(cases)('%s, K = %i pairs, sampled ReLU %s', (act, pairs, reluSampled) => {
    const rng = new Rng(50 + pairs + act.length);
    const left = { units: 0, rows: 0, channels: 0 };
    let kept = 0;
    const nets = [
      ['mixed', 3],
      ['skip over a pair of dense layers', 3],
      ['max pool 2', 2],
      ['skips from the input and from a pool, conv output', 2],
      ['skip into the output', 2],
      ['pool on the input, pool after pool', 2],
      ['linear residual blocks (pre-activation)', 2],
    ] as const;
    for (const [name, trials] of nets) {
      for (let trial = 0; trial < trials; trial++) {
        const what = `${name} ${act} K ${pairs} trial ${trial}`;
        const s = step(deepConfig(NETS[name], act, { algorithm: 'pgaf', pairs, reluSampled, seed: 20 + trial }), rng, what);
        const l = checkLeftOut(s, what);
        left.units += l.units;
        left.rows += l.rows;
        left.channels += l.channels;
        kept += s.ref.counters.kept;
      }
    }
    // the draws left units out, dense rows among them, and kept others
    expect(left.units).toBeGreaterThan(0);
    expect(left.rows).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it('a device that leaves chosen units out (env.mtj_sample): whole conv channels, dense rows and a skip source', () => {
    // mixed net, tanh, K = 2: hidden nodes 1, 2, 3 (3×8×8), 5 (4×2×2), 7 (dense 4); node 3 adds node 1.
    const leftOut: ((j: number) => boolean)[] = [
      (j) => j < 64 || j % 5 === 0, // node 1: channel 0 (and every fifth unit): the skip from node 3 lands there too
      (j) => j % 4 === 0, // node 2
      (j) => j >= 128, // node 3: channel 2
      (j) => j < 4, // node 5: channel 0
      (j) => j === 1 || j === 3, // node 7: rows 1 and 3
    ];
    const sample = (engine: () => DeepEngine): Sample => (h, n, _p, bits, draws) => {
      const out = new Uint8Array(engine().exports.memory.buffer, bits, n * draws);
      for (let j = 0; j < n; j++) {
        // kept: (1,0) then (1,0) or (1,1): c = 2 or 1; left out: (0,0) then (1,1) or (0,1)
        const pattern = leftOut[h](j) ? [0, 0, j % 2, 1] : [1, 0, 1, j % 2];
        out.set(pattern, j * draws);
      }
    };
    const s = step(deepConfig(NETS.mixed, 'tanh', { algorithm: 'pgaf', pairs: 2 }), new Rng(77), 'chosen draws', sample);
    const hiddenNodes = [1, 2, 3, 5, 7];
    hiddenNodes.forEach((i, h) => {
      const c = (s.counts as Uint8Array[])[i];
      c.forEach((cj, j) => expect(cj, `node ${i} unit ${j}`).toBe(leftOut[h](j) ? 0 : j % 2 === 0 ? 2 : 1));
    });
    expect(checkLeftOut(s, 'chosen draws')).toEqual({ units: 64 + 26 + 48 + 64 + 4 + 2, rows: 2, channels: 3 });
    // every channel and row with a kept unit moved
    hiddenNodes.forEach((i, h) => {
      const g = s.ref.geo[i];
      const area = g.h * g.w;
      const taps = s.ref.geo[i - 1].c * g.kh * g.kw;
      for (let co = 0; co < g.c; co++) {
        const anyKept = Array.from({ length: area }, (_v, u) => co * area + u).some((j) => !leftOut[h](j));
        const moved = s.e.weights(i).subarray(co * taps, (co + 1) * taps).some((v, t) => v !== s.before.w[i][co * taps + t]);
        expect(moved, `node ${i} channel ${co}`).toBe(anyKept);
      }
    });
    const c = s.e.counters();
    expect(c.kept[0]).toBe(s.ref.counters.kept);
    expect(c.deltaPropagation).toEqual({ mul: s.ref.counters.deltaMul, add: s.ref.counters.deltaAdd, draws: 0, writes: s.ref.counters.deltaAdd });
  });
});

describe('operation counters of one step equal the reference\'s independent count', () => {
  // (four sigmoid layers shrink a gradient by up to 4^-4: the mixed net's first δ fall below the Q24
  // resolution and round to 0 in the module, so its bp sigmoid count is taken on shallower nets)
  const cases: [string, Activation, Partial<DeepConfig>][] = [
    ['skip over a pair of conv layers', 'sigmoid', {}],
    ['max pool 3', 'sigmoid', {}],
    ['mixed', 'tanh', {}],
    ['mixed', 'relu', {}],
    ['skips from the input and from a pool, conv output', 'tanh', {}],
    ['conv 5×5 stride 2 pad 2', 'relu', {}],
    ['average pool 4', 'sigmoid', {}],
    ['pool on the input, pool after pool', 'relu', {}],
    ['skip into the output', 'tanh', {}],
    ['linear residual blocks (pre-activation)', 'relu', {}],
    ['linear residual blocks (pre-activation)', 'sigmoid', { algorithm: 'pgaf', pairs: 2 }],
    ['mixed', 'sigmoid', { algorithm: 'pgaf', pairs: 1 }],
    ['mixed', 'tanh', { algorithm: 'pgaf', pairs: 4 }],
    ['mixed', 'relu', { algorithm: 'pgaf' }],
    ['mixed', 'relu', { algorithm: 'pgaf', reluSampled: true, pairs: 2 }],
    ['skip over a pair of dense layers', 'sigmoid', { algorithm: 'pgaf', pairs: 2 }],
    ['skip over a pair of conv layers', 'tanh', { algorithm: 'pgaf', pairs: 1 }],
  ];
  it.each(cases)('%s, %s, %j', (name, act, extra) => {
    const rng = new Rng(90 + name.length + act.length);
    for (let trial = 0; trial < 2; trial++) {
      const what = `${name} ${act} ${JSON.stringify(extra)} trial ${trial}`;
      compareCounters(step(deepConfig(NETS[name], act, { seed: 31 + trial, ...extra }), rng, what), what);
    }
  });
});
