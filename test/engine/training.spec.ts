// End-to-end training in the fixed-point engine: XOR to 100%, Iris ≥ 93% with p-GAF-BP.
import { describe, it, expect } from 'vitest';
import { loadDataset } from '../../host/data/index.ts';
import { train } from '../../host/train/trainer.ts';
import { defaultNetworkConfig, type Algorithm } from '../../host/engine/config.ts';

describe('XOR', () => {
  const xor = loadDataset('xor');
  it.each(['bp', 'pgaf'] as Algorithm[])('%s trains a 2-4-1 sigmoid network (squared error) to accuracy 1.0', async (algorithm) => {
    const r = await train(xor, { ...defaultNetworkConfig, layout: [2, 4, 1], output: 'sigmoid', algorithm, learningRate: 2, seed: 3 }, { epochs: 3000 });
    expect(r.testAccuracy).toBe(1);
  });
  it.each(['bp', 'pgaf'] as Algorithm[])('%s trains a 2-8-2 softmax network to accuracy 1.0', async (algorithm) => {
    const r = await train(xor, { ...defaultNetworkConfig, layout: [2, 8, 2], algorithm, learningRate: 0.5, seed: 3 }, { epochs: 2000 });
    expect(r.testAccuracy).toBe(1);
  });
});

describe('Iris (4-16-3, sigmoid, 300 epochs, lr 0.1)', () => {
  // 30 test samples per split make one split's accuracy move in steps of 3.3 points, so the
  // target is the mean over 8 seeded stratified 120/30 splits.
  const splits = [1, 2, 3, 4, 5, 6, 7, 8];
  it.each(['pgaf', 'bp'] as Algorithm[])('%s reaches a mean test accuracy ≥ 0.93 over 8 stratified splits', async (algorithm) => {
    const accs: number[] = [];
    for (const seed of splits) {
      const iris = loadDataset('iris', { seed });
      const r = await train(iris, { ...defaultNetworkConfig, layout: [4, 16, 3], algorithm, learningRate: 0.1, seed: 1 }, { epochs: 300 });
      accs.push(r.testAccuracy);
      if (algorithm === 'pgaf') expect(r.epochs[r.epochs.length - 1].keptFraction[0]).toBeLessThan(0.25);
    }
    const mean = accs.reduce((a, b) => a + b) / accs.length;
    expect(mean, `per split: ${accs.map((a) => a.toFixed(3)).join(' ')}`).toBeGreaterThanOrEqual(0.93);
  });
});
