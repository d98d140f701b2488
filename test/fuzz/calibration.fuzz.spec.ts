/**
 * Property-based fuzz of the calibration JSON reader (host/device/calibration.ts): fields of a valid
 * calibration set to wrong types / NaN / ±Infinity / huge / negative values, deleted or added (as
 * objects, so NaN reaches the validator), and the file's text damaged byte by byte (through
 * loadCalibration, from disk). Every case is a calibration with finite, in-range values, or a
 * CalibrationFileError naming the file and the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CALIBRATION_BOUNDS, loadCalibration, validateCalibration, type Calibration } from '../../host/device/calibration.ts';
import { CalibrationFileError } from '../../host/device/errors.ts';
import { byteMutation, expectValueOrTypedError, jsonMutation, mutateBytes, mutateJson, params, printOutcomes, timeoutFor } from './file-fuzz-support.ts';
import { validCalibration } from './run-dir-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'spintrain-fuzz-cal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterAll(() => printOutcomes('calibration'));

const FILE = 'fuzz/cal.json';
const base = validCalibration();

function checkCalibration(c: Calibration): void {
  expect(c.devices.length).toBeGreaterThan(0);
  for (const d of c.devices) {
    expect(Math.abs(d.i50A)).toBeLessThanOrEqual(CALIBRATION_BOUNDS.maxCurrentA);
    expect(d.kPerA).toBeGreaterThanOrEqual(CALIBRATION_BOUNDS.minSlopePerA);
    for (const p of d.points) {
      expect(p.n).toBeGreaterThan(0);
      expect(p.high).toBeLessThanOrEqual(p.n);
      expect(p.pairs10).toBeLessThanOrEqual(p.pairs);
    }
  }
}

describe('calibration JSON fuzz', () => {
  it('validateCalibration: mutated fields (NaN and ±Infinity included)', () => {
    fc.assert(
      fc.property(fc.array(jsonMutation, { minLength: 1, maxLength: 3 }), fc.option(fc.constantFrom('sim', 'uno'), { nil: undefined }), (muts, board) => {
        const raw = mutateJson(base, muts);
        expectValueOrTypedError(() => validateCalibration(raw, FILE, board), { file: FILE, errors: [CalibrationFileError] }, checkCalibration);
      }),
      params(0.7),
    );
  }, timeoutFor(0.7, 1));

  it('loadCalibration: damaged JSON text on disk', () => {
    const text = new TextEncoder().encode(JSON.stringify(base, null, 2));
    let k = 0;
    fc.assert(
      fc.property(fc.array(byteMutation, { minLength: 1, maxLength: 3 }), (muts) => {
        const file = join(dir, `cal-${++k}.json`);
        writeFileSync(file, mutateBytes(text, muts));
        expectValueOrTypedError(() => loadCalibration(file), { file, errors: [CalibrationFileError] }, checkCalibration);
      }),
      params(0.3),
    );
  }, timeoutFor(0.3, 2));
});
