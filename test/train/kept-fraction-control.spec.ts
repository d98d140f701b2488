// The kept-fraction control (host/train/kept-fraction-control.ts): its integer gain step, its rate factor
// checked against an engine configured with that rate, its judging rules and its checkpoint state.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type NetworkConfig } from '../../host/engine/config.ts';
import type { OpCounters } from '../../host/engine/counters.ts';
import {
  KeptFractionControl, scaleQ16, keptControlOf, keptControlMeta, keptControlSteps, KEPT_CONTROL_GAIN, KEPT_CONTROL_MIN_RATE,
} from '../../host/train/kept-fraction-control.ts';
import { WeightsFileError } from '../../host/io/errors.ts';

const config: NetworkConfig = { ...defaultNetworkConfig, layout: [4, 8, 3], algorithm: 'pgaf', learningRate: [0.25, 0.5], decay: 0.5, seed: 7 };

/** Counters with the given kept and seen counts of the one hidden layer (the phases are not read). */
function counters(kept: number, seen: number): OpCounters {
  const phase = { mul: 0, add: 0, draws: 0, writes: 0 };
  return { forward: phase, activationGradient: phase, deltaPropagation: phase, weightUpdate: phase, kept: [kept], seen: [seen] };
}

const x = Uint8Array.from([200, 0, 17, 255]);

describe('scaleQ16', () => {
  it('rounds v·G/2^16 to the nearest integer, halves up (golden values, g = 0.9)', () => {
    const G = Math.round(KEPT_CONTROL_GAIN * 65536);
    expect(G).toBe(58982);
    const v = Int32Array.from([1 << 24, -(1 << 24), 3, -3, 7, 0, 2147483647, -2147483648]);
    scaleQ16(v, G);
    // 2^24·0.899994 = 15099392; −3·0.9 = −2.7 → −3; 7·0.9 = 6.3 → 6; (2^31 − 1)·58982/2^16 = 1932722175.6 (checked in Python)
    expect([...v]).toEqual([15099392, -15099392, 3, -3, 6, 0, 1932722175, -1932722176]);
  });
});

describe('KeptFractionControl', () => {
  it('below the floor: scales the feeding layer by g and halves its rate, as an engine configured with half the rate', () => {
    const a = new SpintrainEngine(config);
    a.setEpoch(2);
    const control = new KeptFractionControl(1, 0.03);
    const w0 = a.weights(0).slice();
    const b0 = a.biases(0).slice();
    control.endWindow(a, counters(29, 1000), 2, 1000); // 2.9 % < 3 %
    const G = Math.round(KEPT_CONTROL_GAIN * 65536);
    scaleQ16(w0, G);
    scaleQ16(b0, G);
    expect([...a.weights(0)]).toEqual([...w0]);
    expect([...a.biases(0)]).toEqual([...b0]);
    expect(control.report.rate).toEqual([0.5]);
    expect(control.report.steps).toEqual([{ epoch: 2, sample: 1000, layer: 1, keptFraction: 0.029 }]);
    expect(control.report.multiplies).toBe(8 * 4 + 8);
    // an independent engine with the halved first-layer rate and the same parameters trains identically
    const b = new SpintrainEngine({ ...config, learningRate: [0.125, 0.5] });
    b.importParameters(a.exportParameters());
    b.setEpoch(2);
    a.setEpoch(2); // the same draws for both
    a.trainSample(x, 1);
    b.trainSample(x, 1);
    expect(a.exportParameters()).toEqual(b.exportParameters());
  });

  it('judges only windows with ≥ 1,000 (neuron, sample) pairs, recovers the rate at ≥ 2× the floor, and never cuts below 2^−10', () => {
    const e = new SpintrainEngine(config);
    const control = new KeptFractionControl(1, 0.03);
    control.endWindow(e, counters(0, 999), 0, 100);
    expect(control.report.steps).toHaveLength(0);
    control.startEpoch();
    control.endWindow(e, counters(0, 1000), 0, 1000);
    control.endWindow(e, counters(59, 2000), 0, 2000); // window: 59/1000 = 5.9 %: healthy, below 2× floor: no change
    expect(control.report.rate).toEqual([0.5]);
    control.endWindow(e, counters(119, 3000), 0, 3000); // 6 %: recovers ×1.25
    expect(control.report.rate).toEqual([0.625]);
    for (let i = 0; i < 20; i++) control.endWindow(e, counters(119, 4000 + 1000 * i), 0, 4000 + 1000 * i);
    expect(control.report.rate[0]).toBe(KEPT_CONTROL_MIN_RATE);
    expect(control.report.gain[0]).toBeCloseTo(KEPT_CONTROL_GAIN ** 21, 12);
    expect(keptControlSteps(control.report, 0)).toEqual([21]);
    expect(keptControlSteps(control.report, 1)).toEqual([0]);
  });

  it('saves its state in a checkpoint meta entry and reads it back; a damaged entry names the file and field', () => {
    const e = new SpintrainEngine(config);
    const control = new KeptFractionControl(1, 0.05);
    control.endWindow(e, counters(0, 1000), 0, 1000);
    const meta = keptControlMeta(control);
    expect(meta).toEqual({ keptControl: '{"floor":0.05,"rate":[0.5]}' });
    expect(keptControlOf(meta, 'cp.stw', 1)).toEqual({ floor: 0.05, rate: [0.5] });
    expect(keptControlOf({}, 'cp.stw', 1)).toBeUndefined();
    expect(keptControlMeta(undefined)).toEqual({});
    const bad = (raw: string, field: string) => {
      try {
        keptControlOf({ keptControl: raw }, 'cp.stw', 1);
        throw new Error('accepted');
      } catch (err) {
        expect(err).toBeInstanceOf(WeightsFileError);
        expect((err as WeightsFileError).field).toBe(field);
      }
    };
    bad('{', 'meta.keptControl');
    bad('{"floor":0.5,"rate":[1]}', 'meta.keptControl');
    bad('{"floor":0.03,"rate":[1,1]}', 'meta.keptControl.rate');
    bad('{"floor":0.03,"rate":[0]}', 'meta.keptControl.rate');
    // a resumed control starts from the saved factors and puts them into the engine
    const resumed = new KeptFractionControl(1, 0.05, { floor: 0.05, rate: [0.5] });
    const f = new SpintrainEngine(config);
    resumed.attach(f);
    const g = new SpintrainEngine({ ...config, learningRate: [0.125, 0.5] });
    g.importParameters(f.exportParameters());
    f.setEpoch(1);
    g.setEpoch(1);
    f.trainSample(x, 2);
    g.trainSample(x, 2);
    expect(f.exportParameters()).toEqual(g.exportParameters());
  });
});
