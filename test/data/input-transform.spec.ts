// The saved input transform (host/data/input-transform.ts, host/engine/saved-model.ts): recorded in the
// weights file, validated strictly, and applied to raw rows it reproduces the training run's test
// evaluation exactly.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../host/cli.ts';
import { captureOutput } from '../support/capture-output.ts';
import { loadDataset } from '../../host/data/index.ts';
import { loadWeights, saveWeights, decodeWeights, encodeWeights } from '../../host/io/weights-file.ts';
import { WeightsFileError } from '../../host/io/errors.ts';
import { quantiseValue } from '../../host/data/feature-scaling.ts';
import { applyInputTransform, encodeInputTransform, parseInputTransform, transformValue, type InputTransform } from '../../host/data/input-transform.ts';
import { evaluateRaw, loadModel, modelInputs, predictRaw, savedInputTransform } from '../../host/engine/saved-model.ts';
import { foldReflection } from '../../host/engine/input-reflection.ts';
import { Rng } from '../../host/rng.ts';
import { encodeReflection, reflectDataset } from '../../host/data/feature-reflection.ts';

afterEach(() => vi.restoreAllMocks());

/** A 3-class, 5-feature CSV (header, label last): feature 4 sits at its maximum in most rows (reflect fits it). */
function writeCsv(path: string, n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const lines = ['a,b,c,d,e,label'];
  for (let s = 0; s < n; s++) {
    const c = s % 3;
    const row = [
      Math.round(100 * (c + rng.uniform(0, 1) * 1.5)) / 100,
      -20 + Math.floor(rng.uniform(0, 1) * 40) + 10 * c,
      Math.floor(rng.uniform(0, 1) * 1000),
      Math.round(1000 * (rng.uniform(0, 1) - 0.5) * (c + 1)) / 1000,
      rng.uniform(0, 1) < 0.8 ? 7 : c,
    ];
    rows.push(row);
    lines.push([...row, ['low', 'mid', 'high'][c]].join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return rows;
}

describe('a saved model on raw rows (issue 12)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spintrain-transform-'));
  const trainCsv = join(dir, 'train.csv');
  const testCsv = join(dir, 'test.csv');
  writeCsv(trainCsv, 150, 3);
  const testRows = writeCsv(testCsv, 61, 4);
  const testLabels = testRows.map((_r, s) => ['high', 'low', 'mid'].indexOf(['low', 'mid', 'high'][s % 3])); // classes sorted by name
  const spec = `${trainCsv},${testCsv}`;

  for (const normalize of ['none', 'reflect'] as const) {
    it(`train on CSV (--normalize ${normalize}), save, reload, transform the raw test rows: the training run's accuracy and predictions exactly`, async () => {
      const save = join(dir, `${normalize}.stw`);
      const io = captureOutput();
      expect(await main(['train', '--dataset', spec, '--hidden', '6', '--epochs', '12', '--seed', '7', '--json', '--normalize', normalize, '--save', save])).toBe(0);
      const summary = JSON.parse(io.out().trim().split('\n').at(-1)!);
      vi.restoreAllMocks();

      const model = await loadModel(save);
      expect(model.transform?.kind).toBe('min-max');
      // the raw rows through the saved transform are exactly the inputs the run evaluated on
      const d = loadDataset(spec, { seed: 7 });
      const fitted = reflectDataset(d);
      expect(model.transform?.reflect).toEqual(normalize === 'reflect' ? fitted.reflection : undefined);
      if (normalize === 'reflect') expect(model.transform!.reflect![4]).toBe(1);
      const trained = modelInputs(model, testRows);
      const expected = normalize === 'reflect' ? fitted.dataset.test.x : d.test.x;
      expect(trained).toEqual(expected);
      expect(Array.from(d.test.y)).toEqual(testLabels);
      expect(evaluateRaw(model, testRows, testLabels)).toBe(summary.testAccuracy);
      const fromEngine = Array.from({ length: d.test.n }, (_v, s) => model.engine.predict(expected.subarray(s * 5, (s + 1) * 5)));
      expect(predictRaw(model, testRows)).toEqual(fromEngine);
    });
  }

  it('a file of the old form (reflection folded, meta.reflect) loads unfolded with a raw-u8 reflecting transform', async () => {
    const model = await loadModel(join(dir, 'reflect.stw'));
    const w = await loadWeights(join(dir, 'reflect.stw'));
    const { inputTransform: _t, ...meta } = w.meta!;
    const legacy = foldReflection({ ...w, meta }, model.transform!.reflect!);
    expect(legacy.meta?.reflect).toBe(encodeReflection(model.transform!.reflect!));
    const back = savedInputTransform(decodeWeights(encodeWeights(legacy), 'old.stw'), 'old.stw');
    expect(back.transform).toEqual({ kind: 'raw-u8', features: 5, reflect: model.transform!.reflect });
    expect(back.weights.tensors).toEqual(w.tensors);
    const both = { ...legacy, meta: { ...legacy.meta, inputTransform: w.meta!.inputTransform } };
    expect(() => savedInputTransform(both, 'both.stw')).toThrow('both.stw: meta.reflect: not expected with meta.inputTransform');
  });

  it('resuming with another input scale is refused, naming the file and the field', async () => {
    const cp = join(dir, 'cp.stw');
    captureOutput();
    expect(await main(['train', '--dataset', spec, '--hidden', '6', '--epochs', '2', '--seed', '7', '--json', '--checkpoint', cp])).toBe(0);
    const w = await loadWeights(cp);
    const t = JSON.parse(String(w.meta!.inputTransform));
    t.max[2] += 1;
    await saveWeights(cp, { ...w, meta: { ...w.meta, inputTransform: JSON.stringify(t) } });
    const io = captureOutput();
    expect(await main(['train', '--dataset', spec, '--hidden', '6', '--epochs', '4', '--seed', '7', '--json', '--resume', cp])).toBe(1);
    expect(io.err()).toContain(`${cp}: meta.inputTransform: the checkpoint's inputs were min-max over 5 features, this run's are min-max over 5 features with other per-feature bounds`);
  });
});

describe('the stored form', () => {
  const t: InputTransform = { kind: 'min-max', features: 3, min: [0.1, -5, 1e-300], max: [2.5, 5, 1e300], reflect: Uint8Array.of(0, 1, 0) };
  it('round-trips through JSON exactly', () => {
    expect(parseInputTransform(encodeInputTransform(t), 3, 'f.stw')).toEqual(t);
    expect(encodeInputTransform({ kind: 'raw-u8', features: 784 })).toBe('{"v":1,"kind":"raw-u8"}');
  });
  it.each([
    [42, 'meta.inputTransform', 'expected a JSON string, found 42'],
    ['{', 'meta.inputTransform', 'expected JSON'],
    ['[]', 'meta.inputTransform', 'expected a JSON object'],
    ['{"v":2,"kind":"raw-u8"}', 'meta.inputTransform.v', 'expected 1, found 2'],
    ['{"v":1,"kind":"z-score"}', 'meta.inputTransform.kind', 'expected "raw-u8" or "min-max", found "z-score"'],
    ['{"v":1,"kind":"raw-u8","min":[0,0,0]}', 'meta.inputTransform.min', 'unknown field for kind "raw-u8"'],
    ['{"v":1,"kind":"raw-u8","reflect":"3"}', 'meta.inputTransform.reflect', 'expected ascending input indices below 3'],
    ['{"v":1,"kind":"min-max","min":[0,0],"max":[1,1,1]}', 'meta.inputTransform.min', 'expected 3 numbers (one per input), found 2'],
    ['{"v":1,"kind":"min-max","min":[0,"0",0],"max":[1,1,1]}', 'meta.inputTransform.min[1]', 'expected a finite number, found "0"'],
    ['{"v":1,"kind":"min-max","min":[0,0,0],"max":[1,null,1]}', 'meta.inputTransform.max[1]', 'expected a finite number, found null'],
    ['{"v":1,"kind":"min-max","min":[0,2,0],"max":[1,1,1]}', 'meta.inputTransform.max[1]', 'expected ≥ min[1] = 2, found 1'],
  ])('refuses %j (%s)', (raw, field, detail) => {
    let e: unknown;
    try {
      parseInputTransform(raw, 3, 'f.stw');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(WeightsFileError);
    expect((e as WeightsFileError).field).toBe(field);
    expect((e as Error).message).toContain(`f.stw: ${field}: ${detail}`);
  });
});

describe('integer inputs: the float quantisation is the exact round-half-up (what st_input.c computes)', () => {
  it('every tie (x − min)/range = (2k+1)/510 rounds up in float', () => {
    for (let k = 0; k < 255; k++) expect(Math.round(((2 * k + 1) / 510) * 255)).toBe(k + 1);
  });
  it('random int32 readings, ranges and ties agree with exact BigInt rounding', () => {
    const rng = new Rng(11);
    for (let s = 0; s < 20000; s++) {
      const min = Math.floor((rng.uniform(0, 1) - 0.5) * 2 ** 32);
      const span = s % 3 === 0 ? 510 * (1 + Math.floor(rng.uniform(0, 1) * 100)) : Math.floor(rng.uniform(0, 1) * 2 ** (1 + (s % 32)));
      const max = Math.min(min + span, 2 ** 31 - 1);
      const x = Math.floor(min + (rng.uniform(0, 1) * 1.2 - 0.1) * (max - min + 1));
      const o = BigInt(x - min);
      const r = BigInt(max - min);
      const exact = r === 0n || o <= 0n ? 0 : o >= r ? 255 : Number((510n * o + r) / (2n * r));
      expect(quantiseValue(x, min, max)).toBe(exact);
    }
  });
  it('applyInputTransform: per feature, then reflection', () => {
    const t: InputTransform = { kind: 'min-max', features: 2, min: [0, 10], max: [10, 20], reflect: Uint8Array.of(0, 1) };
    expect(Array.from(applyInputTransform(t, [[5, 10], [-3, 25]]))).toEqual([128, 255, 0, 0]);
    expect(transformValue({ kind: 'raw-u8', features: 1 }, 0, 300)).toBe(255);
    expect(() => applyInputTransform(t, [[1]])).toThrow('row 0: expected 2 features, found 1');
  });
});
