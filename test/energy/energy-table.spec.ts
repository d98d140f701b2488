import { describe, expect, it } from 'vitest';
import { HOROWITZ_45NM, validateEnergyTable } from '../../host/energy/energy-table.ts';
import { EnergyTableError } from '../../host/energy/errors.ts';

const base = { intAdd32: 0.1, intMul32: 3.1, intMul16: 1, sramRead32: 5, flashRead32: 10, mtjWrite: 1, mtjRead: 0.1 };

function errorOf(t: unknown): EnergyTableError {
  try {
    validateEnergyTable(t);
  } catch (e) {
    if (e instanceof EnergyTableError) return e;
    throw e;
  }
  throw new Error('expected an EnergyTableError');
}

describe('energy table', () => {
  it('has the Horowitz 45 nm figures by default', () => {
    expect(HOROWITZ_45NM.intAdd32).toBe(0.1);
    expect(HOROWITZ_45NM.intMul32).toBe(3.1);
    expect(HOROWITZ_45NM.sramRead32).toBe(5); // half of a 64-bit 8 KB SRAM read (10 pJ)
    expect(validateEnergyTable(HOROWITZ_45NM)).toEqual(HOROWITZ_45NM);
  });

  it('fills mtjReset and sramWrite32 from mtjWrite and sramRead32', () => {
    expect(validateEnergyTable(base)).toEqual({ ...base, mtjReset: 1, sramWrite32: 5 });
  });

  it('names the missing field', () => {
    const { intMul32: _drop, ...rest } = base;
    const e = errorOf(rest);
    expect(e.field).toBe('intMul32');
    expect(e.message).toBe('energy table: intMul32: is missing');
  });

  it.each([
    ['sramRead32', -1],
    ['mtjRead', Number.NaN],
    ['intAdd32', '0.1'],
    ['flashRead32', Number.POSITIVE_INFINITY],
    ['mtjReset', -0.5],
    ['sramWrite32', null],
  ])('names the bad field %s (%s)', (field, value) => {
    const e = errorOf({ ...base, [field]: value });
    expect(e.field).toBe(field);
    expect(e.message).toMatch(new RegExp(`^energy table: ${field}: must be a finite number ≥ 0 \\[pJ\\]`));
  });

  it('rejects a table that is not an object', () => {
    expect(errorOf([1, 2]).field).toBe('(table)');
    expect(errorOf(null).message).toMatch(/must be an object/);
  });
});
