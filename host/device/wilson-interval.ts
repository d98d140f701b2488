/**
 * Wilson score interval for a binomial proportion (k successes in n trials), z standard-normal quantile:
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
 * Stays inside [0, 1] and is sane at k = 0 or k = n, unlike the Wald interval.
 */
export function wilsonInterval(k: number, n: number, z = 1.96): { lo: number; hi: number } {
  if (n <= 0) return { lo: 0, hi: 1 };
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}
