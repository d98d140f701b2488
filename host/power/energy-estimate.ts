/**
 * Estimated energy of a run from its operation counters and a board's energy table (host/energy/
 * energy-model.ts: counts × per-op energies + MTJ events), side by side with a measurement.
 *
 * Phases of the measurement vs the model: measured forward = model forward; measured backward = model
 * activationGradient + deltaPropagation + weightUpdate (the p-GAF draws run at the end of the module's
 * forward pass but the model charges them to activationGradient: a difference of draws·(write+read+reset)).
 * The model counts the dynamic energy of arithmetic, SRAM and MTJ events only, so it is compared with the
 * measured energy above the idle power when an idle window exists (else with the total):
 *   error = E_model / E_measured − 1.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import type { OpCounters } from '../engine/counters.ts';
import { type EnergyBreakdown, energyPerSample } from '../energy/energy-model.ts';
import type { MeasuredEnergy } from './phase-energy.ts';

export interface PhaseComparison {
  /** Model [J/sample]. */
  estimatedJ: number;
  /** Measured, all of the board's supply [J/sample]. */
  measuredJ: number;
  /** Measured above idle [J/sample], null without an idle window. */
  measuredAboveIdleJ: number | null;
  /** estimatedJ / (above-idle, else total) − 1. */
  error: number;
}

export interface EnergyComparisonReport {
  basis: 'above-idle' | 'total';
  forward: PhaseComparison;
  backward: PhaseComparison;
  total: PhaseComparison;
}

export function estimateEnergy(ops: OpCounters, samples: number, board: BoardProfile): EnergyBreakdown {
  return energyPerSample(ops, samples, board.energyPj);
}

export function compareWithMeasurement(est: EnergyBreakdown, m: MeasuredEnergy): EnergyComparisonReport {
  const basis = m.aboveIdlePerSampleJ === null ? 'total' : 'above-idle';
  const row = (estimatedPj: number, measuredJ: number, aboveIdle: number | null): PhaseComparison => {
    const estimatedJ = estimatedPj * 1e-12;
    const ref = aboveIdle ?? measuredJ;
    return { estimatedJ, measuredJ, measuredAboveIdleJ: aboveIdle, error: ref !== 0 ? estimatedJ / ref - 1 : Number.POSITIVE_INFINITY };
  };
  return {
    basis,
    forward: row(est.forward, m.phases.forward.perSampleJ, m.phases.forward.aboveIdlePerSampleJ),
    backward: row(est.backward, m.phases.backward.perSampleJ, m.phases.backward.aboveIdlePerSampleJ),
    total: row(est.total, m.perSampleJ, m.aboveIdlePerSampleJ),
  };
}
