/**
 * TensorFlow.js as a benchmark trainer: the same 784-128-10 sigmoid/softmax net, SGD on the mean
 * softmax cross-entropy of each batch, Glorot-uniform weights from Rng, zero biases.
 *
 * Backend: @tensorflow/tfjs-backend-wasm when it initialises, else the pure-JS 'cpu' backend
 * (tfjs-node needs a native download that cannot happen here). Inputs are converted to float32
 * (pixels / 255) and one-hot labels before timing; each step builds its batch tensors from those
 * arrays (a copy of batch × 784 floats), as a training loop does.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Rng } from '../../../host/rng.ts';
import type { Split } from '../../../host/data/index.ts';
import { BENCH_LAYOUT, BENCH_SEED } from './bench-network.ts';
import type { BenchTrainer } from './spintrain-trainer.ts';

export interface TfjsBackendInfo {
  backend: string;
  version: string;
  simd: boolean | null;
  threads: boolean | null;
}

let backendInfo: TfjsBackendInfo | undefined;

/** Selects the fastest backend that initialises (wasm, else cpu), once. */
export async function initTfjs(): Promise<TfjsBackendInfo> {
  if (backendInfo) return backendInfo;
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch {
    ok = false;
  }
  if (!ok) await tf.setBackend('cpu');
  await tf.ready();
  const flag = async (name: string): Promise<boolean | null> => {
    try {
      return Boolean(await tf.env().getAsync(name));
    } catch {
      return null;
    }
  };
  const wasm = tf.getBackend() === 'wasm';
  backendInfo = {
    backend: tf.getBackend(),
    version: tf.version.tfjs,
    simd: wasm ? await flag('WASM_HAS_SIMD_SUPPORT') : null,
    threads: wasm ? await flag('WASM_HAS_MULTITHREAD_SUPPORT') : null,
  };
  return backendInfo;
}

export interface TfjsTrainer extends BenchTrainer {
  batch: number;
  dispose(): void;
}

/** A TF.js trainer at the given batch size; run(count) trains ⌈count / batch⌉ steps. Call initTfjs() first. */
export function tfjsTrainer(data: Split, batch: number, learningRate = 0.1): TfjsTrainer {
  const [nIn, nHid, nOut] = BENCH_LAYOUT;
  const rng = new Rng(BENCH_SEED);
  const glorot = (fanIn: number, fanOut: number): tf.Variable => {
    const r = Math.sqrt(6 / (fanIn + fanOut));
    return tf.variable(tf.tensor2d(Float32Array.from({ length: fanIn * fanOut }, () => rng.uniform(-r, r)), [fanIn, fanOut]));
  };
  const w1 = glorot(nIn, nHid);
  const b1 = tf.variable(tf.zeros([nHid]));
  const w2 = glorot(nHid, nOut);
  const b2 = tf.variable(tf.zeros([nOut]));
  const vars = [w1, b1, w2, b2];
  const opt = tf.train.sgd(learningRate);

  const x = new Float32Array(data.n * nIn);
  for (let i = 0; i < x.length; i++) x[i] = data.x[i] / 255;
  const y = new Float32Array(data.n * nOut);
  for (let i = 0; i < data.n; i++) y[i * nOut + data.y[i]] = 1;

  // Batch buffers: consecutive samples, wrapping around the split.
  const xb = new Float32Array(batch * nIn);
  const yb = new Float32Array(batch * nOut);
  let pos = 0;
  const step = (): void => {
    for (let r = 0; r < batch; r++) {
      const i = (pos + r) % data.n;
      xb.set(x.subarray(i * nIn, (i + 1) * nIn), r * nIn);
      yb.set(y.subarray(i * nOut, (i + 1) * nOut), r * nOut);
    }
    pos = (pos + batch) % data.n;
    tf.tidy(() => {
      const xs = tf.tensor2d(xb, [batch, nIn]);
      const ys = tf.tensor2d(yb, [batch, nOut]);
      opt.minimize(() => {
        const h = tf.sigmoid(tf.add(tf.matMul(xs, w1), b1));
        const logits = tf.add(tf.matMul(h, w2), b2);
        return tf.losses.softmaxCrossEntropy(ys, logits) as tf.Scalar;
      }, false, vars);
    });
  };
  return {
    batch,
    async run(count: number): Promise<void> {
      for (let done = 0; done < count; done += batch) step();
      // The wasm and cpu backends run synchronously; reading a weight makes sure all work is done.
      b2.dataSync();
    },
    dispose(): void {
      vars.forEach((v) => v.dispose());
      opt.dispose();
    },
  };
}
