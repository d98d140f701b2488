// The README's methods section is rendered from a run's JSON, and its targets are judged from it.
import { describe, expect, it } from 'vitest';
import { methodsMarkdown, methodTargets, replaceMethods, type MethodsRun } from '../bench/methods-markdown.ts';
import { machineInfo } from '../bench/lib/machine.ts';

const run: MethodsRun = {
  date: '2026-11-26T12:00:00.000Z',
  commit: '0123456789abcdef',
  machine: machineInfo(),
  parts: [{ name: 'pair', command: 'npx tsx test/bench/pair.ts', finished: '2026-11-26T12:00:00.000Z' }],
  pair: {
    iris: { schedule: { epochs: 300, lr: 0.05, decay: 0.01, calibrate: true, step: 0.1, splits: 8 }, pair1: 0.95, pair2: 0.925, bpTanh1: 0.95, bpTanh2: 0.94 },
    mnist: { layout: [784, 128, 64, 64, 32, 10], epochs: 20, lr: 0.01, decay: 0.1, train: 60000, runs: [{ seed: 1, pairCalibrated: 0.9801, bpTanh: 0.979, pairSeconds: 700 }, { seed: 2, pairCalibrated: 0.9789, bpTanh: 0.978, pairSeconds: 710 }], pairUncalibrated: { epochs: 2, testAccuracy: 0.1 } },
    mismatchSweep: [{ series: 'read noise 0 mV', x: 0, accuracy: 0.94 }, { series: 'read noise 0 mV', x: 0.1, accuracy: 0.9 }],
  },
  trainable: {
    fullBatch: { iterations: 1000, train: 60000, lr: 0.3, layout: [784, 25, 10], kernelCheck: 1e-14, runs: { fixed: [{ iteration: 1000, testAccuracy: 0.885, loss: 1 }], paper: [{ iteration: 1000, testAccuracy: 0.1135, loss: 3, kRange: [-0.1, 0.1], cRange: [-0.1, 0.1] }] } },
  },
  distill: { teacher: { layout: [784, 256, 10], testAccuracy: 0.98 }, students: [
    { student: [784, 16, 10], algorithm: 'bp', epochs: 5, temperature: 4, alpha: 0.9, withoutTeacher: 0.93, withTeacher: 0.935 },
    { student: [784, 16, 10], algorithm: 'pgaf', epochs: 5, temperature: 4, alpha: 0.9, seeds: [1, 2, 3], withoutTeacher: [0.9, 0.91, 0.92], withTeacher: [0.91, 0.9, 0.925] },
  ] },
};

describe('methods section', () => {
  it('judges each target from the numbers: met, missed, means over seeds', () => {
    const t = Object.fromEntries(methodTargets(run).map((x) => [x.name, x]));
    expect(t['pair, Iris 1 hidden layer, validation ≥ 93.3% (mean of splits)'].met).toBe(true);
    expect(t['pair, Iris 2 hidden layers, validation ≥ 93.3%'].met).toBe(false);
    expect(t['pair, MNIST 4 hidden layers ≥ 97.9%']).toMatchObject({ met: true, value: '97.95% ± 0.08 (n = 2)' });
    expect(t['paper setup, fixed sigmoid ≈ 88% at 1000 iterations'].met).toBe(true);
    // pgaf per-seed gains +1, −1, +0.5 points: mean +0.17, standard error 0.6 → not a gain
    expect(t['distillation helps the pgaf student (gain > 2 standard errors over seeds)']).toMatchObject({ met: false, value: '+0.17 ± 0.60 points' });
    expect(t["paper setup, trainable k, c (paper's init) ≥ 91.3% at 1000 iterations"].met).toBe(false);
    expect(t['distillation helps the bp student (gain > 2 standard errors over seeds)']).toMatchObject({ met: true, value: '+0.50 ± 0.00 points' });
  });

  it('renders every part present, and only those, between the markers', () => {
    const md = methodsMarkdown(run);
    for (const s of ['| 4-16-16-3 | 92.50% |', '| 2 | 97.89% | 97.80% | 710 s |', '| 1000 | 88.50% | 11.35% |', '| 784-16-10 bp | 93.00% | 93.50% | +0.50 points |', '**missed**']) expect(md).toContain(s);
    expect(md).not.toContain("spintrain's SGD setup");
    expect(replaceMethods('x\n<!-- methods:begin -->\nold\n<!-- methods:end -->\ny', md)).toBe(`x\n<!-- methods:begin -->\n${md}\n<!-- methods:end -->\ny`);
    expect(() => replaceMethods('no markers', md)).toThrow(/methods:begin/);
  });
});
