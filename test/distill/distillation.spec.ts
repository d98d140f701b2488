// Knowledge distillation (host/distill/): the student's gradient is Hinton's,
//   L = α·T²·CE(q, softmax(z/T)) + (1 − α)·CE(onehot, softmax(z)),  δ = α·T·(p_T − q) + (1 − α)·(p − y),
// checked three ways: the host's δ against central finite differences of L; one fixed-point step of
// the engine (δ through the soft-target path) against the float reference; α = 0 against plain
// training, bit for bit.
//
// Tolerance of the engine step (gradient.spec.ts reasoning). The module's z carries the hidden
// activations' error ε_a = 2e-4 (LUT) + 2^-17 (Q16) through Σ_j |w_kj| (Q24 weights: exact), plus
// 2^-17 of its own rounding: ε_z = ε_a·Σ|w| + 2^-17. Its p = softmax(z) is off by ≤ 3e-4 (exp LUT,
// normalisation) + ε_z/2; the host's p_T = softmax(z/T) by ≤ ε_z/(2T) (Σ_j |∂p_k/∂z_j| ≤ 1/(2T)),
// which the factor α·T turns into α·ε_z/2; δ is handed over in Q16 (2^-17). So
//   ε_δ = (1 − α)·(3e-4 + ε_z/2) + α·ε_z/2 + 2^-17,
// and an output weight's step (learning rate 1) −δ_k·a_j is off by ≤ |δ_k|·ε_a + ε_δ + 2^-24.
import { describe, it, expect } from 'vitest';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type Algorithm, type NetworkConfig } from '../../host/engine/config.ts';
import { Rng } from '../../host/rng.ts';
import { loadDataset } from '../../host/data/index.ts';
import { train } from '../../host/train/trainer.ts';
import { Teacher, softmaxAt } from '../../host/distill/teacher.ts';
import { distillationGradient, trainWithTeacher } from '../../host/distill/distill-train.ts';
import { engineInput, referenceFrom } from '../support/float-reference.ts';

const Q16 = 65536;
const Q24 = 2 ** 24;

/** Hinton's loss in float at logits z. */
function hintonLoss(z: number[], q: ArrayLike<number>, label: number, T: number, alpha: number): number {
  const pT = softmaxAt(z, T);
  const p = softmaxAt(z, 1);
  let soft = 0;
  for (let k = 0; k < z.length; k++) soft -= q[k] * Math.log(pT[k]);
  return alpha * T * T * soft - (1 - alpha) * Math.log(p[label]);
}

describe('distillation gradient (host)', () => {
  it.each([
    [2, 0.5],
    [4, 0.9],
    [8, 0.9],
    [1, 1],
  ])('T = %d, α = %d: δ equals central finite differences of Hinton’s loss', (T, alpha) => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 5; trial++) {
      const zQ = Int32Array.from({ length: 10 }, () => Math.round(rng.uniform(-6, 6) * Q16));
      const z = Array.from(zQ, (v) => v / Q16);
      const pQ = Int32Array.from(softmaxAt(z, 1), (v) => Math.round(v * Q16));
      const q = softmaxAt(Array.from({ length: 10 }, () => rng.uniform(-8, 8)), T);
      const label = rng.int(10);
      const delta = distillationGradient(zQ, pQ, q, label, T, alpha, new Float64Array(10));
      const h = 1e-6;
      for (let k = 0; k < 10; k++) {
        const zp = z.slice();
        const zm = z.slice();
        zp[k] += h;
        zm[k] -= h;
        const numeric = (hintonLoss(zp, q, label, T, alpha) - hintonLoss(zm, q, label, T, alpha)) / (2 * h);
        // p enters in Q16: (1 − α)·2^-17, plus the difference quotient's error
        expect(Math.abs(delta[k] - numeric), `δ[${k}]`).toBeLessThanOrEqual((1 - alpha) * 2 ** -17 + 1e-6 * T * T);
      }
    }
  });
});

describe('one distillation step of the engine against the float reference', () => {
  const cfg = (seed: number): NetworkConfig => ({ ...defaultNetworkConfig, layout: [12, 6, 10], activation: 'sigmoid', algorithm: 'bp', learningRate: 1, seed });
  it.each([
    [2, 0.5],
    [4, 0.9],
    [8, 0.9],
  ])('T = %d, α = %d: output δ and the step of every weight within the Q-format tolerance', (T, alpha) => {
    const rng = new Rng(17);
    for (let trial = 0; trial < 4; trial++) {
      const c = cfg(9 + trial);
      const e = new SpintrainEngine(c);
      const ref = referenceFrom(e, c);
      const x = Uint8Array.from({ length: 12 }, () => rng.int(256));
      const label = rng.int(10);
      const q = softmaxAt(Array.from({ length: 10 }, () => rng.uniform(-6, 6)), T);
      const before = e.exportParameters();
      e.trainOutputGradient(x, (z, p, delta) => distillationGradient(z, p, q, label, T, alpha, delta));
      const after = e.exportParameters();
      const dEngine = Array.from(e.deltas(2), (v) => v / Q24);
      // float: δ from the reference's own z and softmax, through its soft-target path (y = p − δ)
      const w0 = ref.W.map((w) => w.slice());
      ref.setInput(engineInput(x));
      ref.forward();
      const zRef = Array.from(ref.Z[2]);
      const pT = softmaxAt(zRef, T);
      const dRef = Array.from(ref.A[2], (p, k) => alpha * T * (pT[k] - q[k]) + (1 - alpha) * (p - (k === label ? 1 : 0)));
      ref.trainStep(-1, Array.from(ref.A[2], (p, k) => p - dRef[k]));
      Array.from(ref.D[2]).forEach((d, k) => expect(Math.abs(d - dRef[k])).toBeLessThanOrEqual(1e-12));

      const epsA = 2e-4 + 2 ** -17;
      const w1 = ref.W[1];
      for (let k = 0; k < 10; k++) {
        let sumW = 0;
        for (let j = 0; j < 6; j++) sumW += Math.abs(w0[1][k * 6 + j]);
        const epsZ = epsA * sumW + 2 ** -17;
        const epsD = (1 - alpha) * (3e-4 + epsZ / 2) + (alpha * epsZ) / 2 + 2 ** -17;
        expect(Math.abs(dEngine[k] - dRef[k]), `δ[${k}]`).toBeLessThanOrEqual(epsD);
        for (let j = 0; j < 6; j++) {
          const i = k * 6 + j;
          const got = (after.weights[1][i] - before.weights[1][i]) / Q24;
          expect(Math.abs(got - (w1[i] - w0[1][i])), `W1[${i}]`).toBeLessThanOrEqual(Math.abs(dRef[k]) * epsA + epsD + 2 ** -24);
        }
      }
      // hidden layer: s_j = Σ_k w_kj δ_k carries Σ_k |w_kj|·ε_δ + |δ|·2^-24, times f′ ≤ ¼ and the input a_i ≤ 1,
      // plus f′'s own error (≤ 2ε_a) times |s_j| (gradient.spec.ts: 1e-3 + 5e-4·n_up/2 at |δ| ≤ 1)
      const maxD = Math.max(...dRef.map(Math.abs));
      for (let i = 0; i < ref.W[0].length; i++) {
        const got = (after.weights[0][i] - before.weights[0][i]) / Q24;
        expect(Math.abs(got - (ref.W[0][i] - w0[0][i])), `W0[${i}]`).toBeLessThanOrEqual((1e-3 + (5e-4 * 10) / 2) * Math.max(1, maxD));
      }
    }
  });
});

describe('α = 0 is plain training', () => {
  const iris = loadDataset('iris', { seed: 2 });
  const teacherEngine = new SpintrainEngine({ ...defaultNetworkConfig, layout: [4, 8, 3], activation: 'sigmoid', algorithm: 'bp', learningRate: 0.1, seed: 4 });
  it.each(['bp', 'pgaf'] as Algorithm[])('%s: the same parameters and accuracies, bit for bit', async (algorithm) => {
    const config: NetworkConfig = { ...defaultNetworkConfig, layout: [4, 6, 3], activation: 'sigmoid', algorithm, learningRate: algorithm === 'pgaf' ? [0.025, 0.1] : 0.1, decay: 0.3, seed: 1 };
    const plain = await train(iris, config, { epochs: 4 });
    const taught = await trainWithTeacher(iris, config, { epochs: 4, teacher: new Teacher(teacherEngine), temperature: 4, alpha: 0 });
    expect(taught.engine.exportParameters()).toEqual(plain.engine.exportParameters());
    expect(taught.epochs.map((r) => [r.trainAccuracy, r.testAccuracy])).toEqual(plain.epochs.map((r) => [r.trainAccuracy, r.testAccuracy]));
    expect(taught.ops).toEqual(plain.ops);
    expect(taught.config).toEqual(plain.config);
  });
  it('α > 0 moves the student (the teacher is used)', async () => {
    const config: NetworkConfig = { ...defaultNetworkConfig, layout: [4, 6, 3], activation: 'sigmoid', algorithm: 'bp', learningRate: 0.1, seed: 1 };
    const plain = await train(iris, config, { epochs: 1 });
    const taught = await trainWithTeacher(iris, config, { epochs: 1, teacher: new Teacher(teacherEngine), temperature: 4, alpha: 0.5 });
    expect(taught.engine.exportParameters()).not.toEqual(plain.engine.exportParameters());
  });
});
