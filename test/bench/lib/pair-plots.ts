/** The pair benchmark's two sweep plots (Iris 4-16-3), rendered from its recorded points. */
import { renderSweepPlot, type SweepPoint } from './pair-sweep-plot.ts';

/** Accuracy vs the pair step Δz (log x). */
export function stepPlot(points: SweepPoint[]): Promise<string> {
  return renderSweepPlot('Iris 4-16-3, pair algorithm: accuracy vs ΔI (Δz = ΔI·b, 8 splits)', 'Δz (ΔI in pre-activation units)', points, true);
}

/** Accuracy vs twin gain mismatch, one series per read-noise level. */
export function mismatchPlot(points: SweepPoint[]): Promise<string> {
  return renderSweepPlot('Iris 4-16-3, pair algorithm (Δz = 0.1): accuracy vs twin mismatch and read noise (8 splits)', 'gain CV (offset σ = CV / b)', points);
}
