// The power-measured run is the `spintrain train` run it is compared with: same epoch orders, setEpoch at
// every epoch start (decay and the epoch's draw seed), so after whole epochs its weights equal the train
// run's bit for bit; and the old scheme (reshuffling the previous order, no setEpoch(0)) does not.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../host/data/index.ts';
import { defaultNetworkConfig, type NetworkConfig } from '../../host/engine/config.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { runMarkedSteps } from '../../host/power/marked-training.ts';
import { Rng } from '../../host/rng.ts';
import { train } from '../../host/train/trainer.ts';

describe('power-measured training run', () => {
  for (const seed of [1, 7]) {
    it(`equals spintrain train's weights after whole epochs (iris pgaf, decay, seed ${seed})`, async () => {
      const data = loadDataset('iris', { seed });
      const config: NetworkConfig = { ...defaultNetworkConfig, layout: [4, 8, 3], decay: 0.5, momentum: 0.5, seed };
      const epochs = 3;
      const ref = await train(data, config, { epochs });
      const engine = new SpintrainEngine(config, { kind: 'prng' });
      const split = engine.loadSplit(data.train);
      const hooked: number[] = [];
      const run = await runMarkedSteps(engine, split, data.train.y, epochs * data.train.n, seed, {
        forward: (k) => (hooked.push(k), async () => {}),
        backward: () => async () => {},
      });
      expect(hooked.length).toBe(epochs * data.train.n);
      expect(run.epochs).toBe(epochs);
      expect(run.correct).toBe(Math.round(ref.epochs.reduce((s, e) => s + e.trainAccuracy * data.train.n, 0)));
      const a = engine.exportParameters();
      const b = ref.engine.exportParameters();
      expect(a.weights).toEqual(b.weights);
      expect(a.biases).toEqual(b.biases);
    });
  }

  it('differs from the previous scheme (previous order reshuffled, no setEpoch(0))', async () => {
    const data = loadDataset('iris', { seed: 1 });
    const config: NetworkConfig = { ...defaultNetworkConfig, layout: [4, 8, 3], decay: 0.5, seed: 1 };
    const ref = await train(data, config, { epochs: 2 });
    const engine = new SpintrainEngine(config, { kind: 'prng' });
    const split = engine.loadSplit(data.train);
    const rng = new Rng((config.seed * 2654435761) >>> 0);
    let order = rng.shuffle(Int32Array.from({ length: data.train.n }, (_v, i) => i));
    for (let k = 0; k < 2 * data.train.n; k++) {
      const pos = k % data.train.n;
      if (pos === 0 && k > 0) {
        engine.setEpoch(1);
        order = rng.shuffle(order);
      }
      engine.exports.inputU8(split.x + order[pos] * 4);
      engine.exports.trainForward();
      engine.exports.trainBackward(data.train.y[order[pos]]);
    }
    expect(engine.exportParameters().weights).not.toEqual(ref.engine.exportParameters().weights);
  });
});
