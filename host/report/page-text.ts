/**
 * Values as report text. Rule: the page never shows "undefined", "null", "NaN", "Infinity" or
 * "[object Object]": a string is shown as is, a finite number or a boolean as written, anything else as
 * '–'. (readRunDir has checked every field; this holds even for a record built in code.)
 */

/** A value as page text. */
export function text(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : '–';
  if (typeof x === 'boolean') return String(x);
  return '–';
}

/** The elements of a list as page text, joined by `sep`; '–' for a value that is not a list. */
export function list(x: unknown, sep: string): string {
  return Array.isArray(x) ? x.map(text).join(sep) : '–';
}

/** A number with `d` decimals; '–' for anything not finite (never "NaN" in the page). */
export function num(x: number, d: number): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '–';
}

/** A fraction as a percentage with `d` decimals ("66.67 %"); '–' for anything not finite. */
export function pct(x: number, d = 2): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(d)} %` : '–';
}
