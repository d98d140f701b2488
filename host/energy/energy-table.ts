/**
 * Energy per operation [pJ] for the energy model. The fields are the board profiles' EnergyTablePj
 * (boards/board-profile.ts), so a board's `energyPj` can be passed as it is; two optional fields refine it.
 *
 * Default: 45 nm CMOS, M. Horowitz, "Computing's energy problem (and what we can do about it)",
 * ISSCC 2014 — 32-bit int add 0.1 pJ, 32-bit int mult 3.1 pJ, 8 KB SRAM 64-bit read 10 pJ —
 * and SOT-MTJ figures from /work/shared/research.md (write sub-pJ to ~1 pJ, record 156 fJ).
 */
import type { EnergyTablePj } from '../../boards/board-profile.ts';
import { EnergyTableError } from './errors.ts';

export interface EnergyTable extends EnergyTablePj {
  /** One MTJ reset pulse back to the P state [pJ]; default: mtjWrite (a pulse of the same size, opposite sign). */
  mtjReset?: number;
  /** One 32-bit SRAM write [pJ]; default: sramRead32 (Horowitz lists reads only). */
  sramWrite32?: number;
}

/** A table with every field present (validated). */
export type ResolvedEnergyTable = Required<EnergyTable>;

export const HOROWITZ_45NM: ResolvedEnergyTable = {
  /** 32-bit integer add [pJ] (Horowitz 2014). */
  intAdd32: 0.1,
  /** 32-bit integer multiply [pJ] (Horowitz 2014). */
  intMul32: 3.1,
  /** 16-bit integer multiply [pJ]: not in the table; ~1 pJ is a common estimate (between 8-bit 0.2 and 32-bit 3.1). */
  intMul16: 1.0,
  /** 32-bit read from an 8 KB SRAM [pJ]: half of the 64-bit read's 10 pJ (derived: energy ∝ bits read). */
  sramRead32: 5,
  /** 32-bit flash read [pJ]: not in Horowitz; an estimate (2× the SRAM read). Not charged by the model (weights live in SRAM). */
  flashRead32: 10,
  /** One SOT-MTJ write pulse [pJ]: the top of the "sub-pJ to ~1 pJ" range (record 156 fJ), i.e. conservative. */
  mtjWrite: 1,
  /**
   * One MTJ read [pJ]: derived — 20 µA bias through R ≈ 3.5 kΩ for 1 ns is I²R·t ≈ 1.4 fJ; a sense amplifier
   * dominates, so 0.1 pJ is taken (the same figure as the Uno board profile).
   */
  mtjRead: 0.1,
  /** One reset pulse [pJ]: same as a write pulse. */
  mtjReset: 1,
  /** One 32-bit SRAM write [pJ]: taken equal to a read. */
  sramWrite32: 5,
};

const FIELDS = ['intAdd32', 'intMul32', 'intMul16', 'sramRead32', 'flashRead32', 'mtjWrite', 'mtjRead'] as const;

/**
 * Checks a table (e.g. a board's energyPj or one read from JSON) and fills the optional fields.
 * Every value must be a finite number ≥ 0 [pJ]; throws EnergyTableError naming the first bad field.
 */
export function validateEnergyTable(t: unknown): ResolvedEnergyTable {
  if (typeof t !== 'object' || t === null || Array.isArray(t)) throw new EnergyTableError('(table)', `must be an object of energies in pJ, got ${JSON.stringify(t)}`);
  const o = t as Record<string, unknown>;
  const energy = (field: string, v: unknown): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new EnergyTableError(field, `must be a finite number ≥ 0 [pJ], got ${JSON.stringify(v)}`);
    return v;
  };
  const r = {} as Record<string, number>;
  for (const f of FIELDS) {
    if (!(f in o)) throw new EnergyTableError(f, 'is missing');
    r[f] = energy(f, o[f]);
  }
  r.mtjReset = o.mtjReset === undefined ? r.mtjWrite : energy('mtjReset', o.mtjReset);
  r.sramWrite32 = o.sramWrite32 === undefined ? r.sramRead32 : energy('sramWrite32', o.sramWrite32);
  return r as ResolvedEnergyTable;
}
