/**
 * A value as shown in an error message: JSON where possible, so that "false" and false, "1" and 1
 * differ; NaN and ±Infinity as numbers (JSON would print null); a missing value as "nothing".
 */
export function shown(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (typeof x === 'number') return String(x);
  try {
    const s = JSON.stringify(x) ?? typeof x;
    return s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return typeof x;
  }
}
