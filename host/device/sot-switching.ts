/**
 * Thermally activated SOT switching (Néel–Brown):
 *   P_sw(I, t_p) = 1 − exp(−(t_p/τ0) · exp(−Δ (1 − I/Ic0)))
 * τ0 attempt time [s] (≈ 1 ns), Δ = E_b/k_BT thermal stability, Ic0 critical current [A], t_p pulse width [s].
 * Computed in log form so no intermediate underflows to 0 or overflows to ∞:
 *   ln x = ln(t_p/τ0) − Δ(1 − I/Ic0),  P = −expm1(−x).
 */
export interface SwitchingParams {
  /** Attempt time τ0 [s]. */
  tau0S: number;
  /** Thermal stability factor Δ (dimensionless). */
  delta: number;
  /** Critical switching current Ic0 [A]. */
  ic0A: number;
}

export function switchingProbability(p: SwitchingParams, currentA: number, widthS: number): number {
  if (!(widthS > 0)) return 0;
  const lnX = Math.log(widthS / p.tau0S) - p.delta * (1 - currentA / p.ic0A);
  if (lnX > 6) return 1; // x > 403: 1 − e^(−x) rounds to 1
  if (lnX < -745) return 0; // x below the smallest double
  return -Math.expm1(-Math.exp(lnX));
}

/**
 * Logistic bridge P_sw ≈ σ(k (I − I50)):
 *   I50 = Ic0 · [1 − ln(t_p / (τ0 ln 2)) / Δ]   (P_sw(I50) = 1/2 exactly)
 *   k   = 2 ln2 · Δ / Ic0  [1/A]                   (matches the slope at I50: dP/dI = k/4)
 */
export function logisticBridge(p: SwitchingParams, widthS: number): { i50A: number; kPerA: number } {
  return {
    i50A: p.ic0A * (1 - Math.log(widthS / (p.tau0S * Math.LN2)) / p.delta),
    kPerA: (2 * Math.LN2 * p.delta) / p.ic0A,
  };
}
