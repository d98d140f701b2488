import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError, UnknownDatasetError } from '../../host/data/errors.ts';
import { encodeIdx } from '../../host/data/idx.ts';
import { loadDataset } from '../../host/data/index.ts';
import { loadIris } from '../../host/data/iris.ts';
import { loadIdxPair, loadMnist } from '../../host/data/mnist.ts';
import { loadXor } from '../../host/data/xor.ts';
import { MAX_FEATURES } from '../../host/data/dataset.ts';
import { MAX_WIDTH } from '../../host/engine/config.ts';
import type { Split } from '../../host/data/dataset.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-ds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const classCounts = (s: Split, classes: number): number[] => {
  const c = new Array<number>(classes).fill(0);
  s.y.forEach((v) => c[v]++);
  return c;
};

describe('MNIST', () => {
  it('loads 60000/10000 28×28 images; first train label 5, first test label 7', () => {
    const d = loadMnist();
    expect(d.inputs).toBe(784);
    expect(d.classes).toBe(10);
    expect(d.train.n).toBe(60000);
    expect(d.test.n).toBe(10000);
    expect(d.train.x.length).toBe(60000 * 784);
    expect(d.train.y[0]).toBe(5);
    expect(d.test.y[0]).toBe(7);
    expect(classCounts(d.train, 10).every((c) => c > 5000)).toBe(true);
  });

  it('honours train/test limits through loadDataset', () => {
    const d = loadDataset('MNIST', { trainLimit: 100, testLimit: 10 });
    expect([d.train.n, d.train.x.length, d.train.y.length]).toEqual([100, 78400, 100]);
    expect([d.test.n, d.test.x.length, d.test.y.length]).toEqual([10, 7840, 10]);
    expect(d.test.y[0]).toBe(7);
  });
});

describe('IDX pairs', () => {
  // 6 samples of 2×2 pixels, labels 0,1,2,0,1,2.
  const images = write('imgs.idx', encodeIdx([6, 2, 2], Uint8Array.from({ length: 24 }, (_, i) => i)));
  const labels = write('labels.idx', encodeIdx([6], Uint8Array.from([0, 1, 2, 0, 1, 2])));

  function write(name: string, bytes: Uint8Array): string {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  }

  it('loads a pair, flattening per-sample dims', () => {
    const p = loadIdxPair(images, labels);
    expect(p.inputs).toBe(4);
    expect(p.sampleDims).toEqual([2, 2]);
    expect(p.split.n).toBe(6);
    expect([...p.split.x.subarray(4, 8)]).toEqual([4, 5, 6, 7]);
  });

  it('rejects mismatched counts and out-of-range labels', () => {
    const few = write('few.idx', encodeIdx([5], Uint8Array.from([0, 1, 2, 0, 1])));
    expect(() => loadIdxPair(images, few)).toThrow(`${few}: expected 6 labels (one per image in ${images}), found 5`);
    expect(() => loadIdxPair(images, labels, { classes: 2 })).toThrow(`${labels}: expected labels < 2, found 2 at index 2`);
  });

  it('with four paths uses the second pair as test; with two, a seeded stratified holdout', () => {
    const four = loadDataset(`${images},${labels},${images},${labels}`, { classes: 3 });
    expect([four.train.n, four.test.n, four.inputs, four.classes]).toEqual([6, 6, 4, 3]);
    const two = loadDataset(`${images},${labels}`, { classes: 3, testFraction: 0.5, seed: 7 });
    expect([two.train.n, two.test.n]).toEqual([3, 3]);
    expect([...two.test.y].sort()).toEqual([0, 1, 2]);
    expect(loadDataset(`${images},${labels}`, { classes: 3, testFraction: 0.5, seed: 7 })).toEqual(two);
  });

  it('explains bad specs', () => {
    expect(() => loadDataset('cifar10')).toThrow(UnknownDatasetError);
    expect(() => loadDataset('cifar10')).toThrow(/cifar10: unknown dataset; expected one of mnist, iris, xor or "<images.idx>,<labels.idx>/);
    expect(() => loadDataset(`${images},${labels},${images}`)).toThrow('expected 2 or 4 comma-separated IDX paths, found 3');
    expect(() => loadDataset(`${images},${join(dir, 'missing.idx')}`)).toThrow(DatasetError);
  });
});

describe('Iris', () => {
  it('splits 120/30 stratified: 10 per class in test, 40 in train', () => {
    const d = loadIris();
    expect([d.inputs, d.classes, d.train.n, d.test.n]).toEqual([4, 3, 120, 30]);
    expect(classCounts(d.test, 3)).toEqual([10, 10, 10]);
    expect(classCounts(d.train, 3)).toEqual([40, 40, 40]);
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('scales on train: each train feature spans exactly 0..255', () => {
    const d = loadIris({ seed: 3 });
    for (let j = 0; j < 4; j++) {
      const col = Array.from({ length: d.train.n }, (_, i) => d.train.x[i * 4 + j]);
      expect([Math.min(...col), Math.max(...col)]).toEqual([0, 255]);
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    expect(loadIris({ seed: 42 })).toEqual(loadIris({ seed: 42 }));
    expect(loadDataset('iris', { seed: 42 }).test.x).toEqual(loadIris({ seed: 42 }).test.x);
    expect(loadIris({ seed: 1 }).test.x).not.toEqual(loadIris({ seed: 2 }).test.x);
  });

  it('interleaves classes (not sorted by class)', () => {
    const y = [...loadIris().train.y];
    expect(y).not.toEqual([...y].sort());
  });
});

describe('XOR', () => {
  it('is the four points of {0,255}² labelled a xor b, train = test', () => {
    const d = loadDataset('xor');
    expect([d.inputs, d.classes, d.train.n]).toEqual([2, 2, 4]);
    for (let i = 0; i < 4; i++) {
      const a = d.train.x[2 * i] === 255 ? 1 : 0;
      const b = d.train.x[2 * i + 1] === 255 ? 1 : 0;
      expect(d.train.y[i]).toBe(a ^ b);
    }
    expect(d.test).toEqual(d.train);
    expect(d.test.x).not.toBe(d.train.x);
    expect(loadXor().train.x.every((v) => v === 0 || v === 255)).toBe(true);
  });
});

describe('limits', () => {
  it("a data set's widest sample is the engine's widest layer (data sits below the engine and does not import it)", () => {
    expect(MAX_FEATURES).toBe(MAX_WIDTH);
  });
});
