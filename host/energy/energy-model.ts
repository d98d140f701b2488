/**
 * Energy per training sample from the engine's op counters and an energy table [pJ/sample].
 *
 * Per phase p (forward, activationGradient, deltaPropagation, weightUpdate), over `samples` samples:
 *   compute     = mul·intMul32 + (add + compares)·intAdd32   (the engine multiplies 32-bit operands; compares:
 *                                                       the deep module's topk/adaptive selection comparisons
 *                                                       (PhaseOps.compares, assembly/select.ts), each charged as
 *                                                       one 32-bit integer add — a compare is a subtraction —
 *                                                       Horowitz 45 nm 0.1 pJ; absent for every other algorithm)
 *   memoryRead  = READS_PER_MUL·mul · sramRead32       (estimate: each multiply-accumulate reads one
 *                                                       weight and one activation or delta from SRAM;
 *                                                       adds without a multiply read registers)
 *   memoryWrite = writes · sramWrite32                  (the counters count the writes)
 *   mtj         = draws · (mtjWrite + mtjRead + mtjReset)   (each draw: one write pulse, one read, and a
 *                                                       reset that is always issued — conservative)
 *   except the weight update's draws: those are the narrow-weight modules' stochastic-rounding draws
 *   (assembly/stochastic-rounding.ts), taken from the module's xoshiro128** generator, not from MTJs; each is
 *   charged as compute, ROUNDING_DRAW_OPS = 2 multiplies + 10 adds (xors, shifts and rotates counted as adds).
 *   total       = compute + memoryRead + memoryWrite + mtj, each divided by samples.
 * Backward = activationGradient + deltaPropagation + weightUpdate. Not charged: instruction fetch,
 * control flow, loading the sample from flash, leakage.
 */
import { PHASES, type OpCounters, type Phase } from '../engine/counters.ts';
import { HOROWITZ_45NM, validateEnergyTable, type EnergyTable } from './energy-table.ts';

/** A generator draw (xoshiro128** step + the top-bits shift) in integer operations. */
export const ROUNDING_DRAW_OPS = { mul: 2, add: 10 } as const;

/** SRAM reads charged per multiply (one weight + one activation/delta operand). */
export const READS_PER_MUL = 2;

/** Energy of one phase [pJ per sample]. */
export interface PhaseEnergy {
  compute: number;
  memoryRead: number;
  memoryWrite: number;
  mtj: number;
  total: number;
}

export interface EnergyBreakdown {
  unit: 'pJ/sample';
  samples: number;
  phases: Record<Phase, PhaseEnergy>;
  /** Forward phase total [pJ/sample]. */
  forward: number;
  /** activationGradient + deltaPropagation + weightUpdate [pJ/sample]. */
  backward: number;
  /** All phases [pJ/sample]. */
  total: number;
  /** The table used, all fields resolved [pJ]. */
  table: Required<EnergyTable>;
}

const BACKWARD_PHASES: readonly Phase[] = ['activationGradient', 'deltaPropagation', 'weightUpdate'];

/** Energy per training sample, per phase and in total; `ops` are counters summed over `samples` samples. */
export function energyPerSample(ops: OpCounters, samples: number, table: EnergyTable = HOROWITZ_45NM): EnergyBreakdown {
  if (!(Number.isInteger(samples) && samples > 0)) throw new RangeError(`samples: expected a positive integer, got ${samples}`);
  const t = validateEnergyTable(table);
  const perDraw = t.mtjWrite + t.mtjRead + t.mtjReset;
  const phases = {} as Record<Phase, PhaseEnergy>;
  for (const p of PHASES) {
    const c = ops[p];
    for (const k of ['mul', 'add', 'draws', 'writes'] as const) {
      if (!(Number.isFinite(c[k]) && c[k] >= 0)) throw new RangeError(`ops.${p}.${k}: expected a count ≥ 0, got ${c[k]}`);
    }
    if (c.compares !== undefined && !(Number.isFinite(c.compares) && c.compares >= 0)) throw new RangeError(`ops.${p}.compares: expected a count ≥ 0, got ${c.compares}`);
    const rounding = p === 'weightUpdate' ? c.draws : 0;
    // a comparison is charged as one 32-bit add; without compares the sum is the one before issue 18
    const adds = c.compares ? c.add + ROUNDING_DRAW_OPS.add * rounding + c.compares : c.add + ROUNDING_DRAW_OPS.add * rounding;
    const compute = ((c.mul + ROUNDING_DRAW_OPS.mul * rounding) * t.intMul32 + adds * t.intAdd32) / samples;
    const memoryRead = (READS_PER_MUL * c.mul * t.sramRead32) / samples;
    const memoryWrite = (c.writes * t.sramWrite32) / samples;
    const mtj = ((c.draws - rounding) * perDraw) / samples;
    phases[p] = { compute, memoryRead, memoryWrite, mtj, total: compute + memoryRead + memoryWrite + mtj };
  }
  const backward = BACKWARD_PHASES.reduce((s, p) => s + phases[p].total, 0);
  return { unit: 'pJ/sample', samples, phases, forward: phases.forward.total, backward, total: phases.forward.total + backward, table: t };
}

export interface EnergyComparison {
  /** Backward-pass energy [pJ/sample] of bp and pgaf. */
  bpBackward: number;
  pgafBackward: number;
  /** 1 − pgaf/bp of the backward pass (0.79 = 79% less). */
  backwardReduction: number;
  /** 1 − pgaf/bp of the whole training step (forward included). */
  totalReduction: number;
}

/** How much less energy pgaf spends than bp, backward pass and whole step. */
export function compareEnergy(bp: EnergyBreakdown, pgaf: EnergyBreakdown): EnergyComparison {
  if (!(bp.backward > 0 && bp.total > 0)) throw new RangeError('compareEnergy: the bp breakdown has no backward energy');
  return {
    bpBackward: bp.backward,
    pgafBackward: pgaf.backward,
    backwardReduction: 1 - pgaf.backward / bp.backward,
    totalReduction: 1 - pgaf.total / bp.total,
  };
}
