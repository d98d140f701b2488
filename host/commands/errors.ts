/** A bad command-line argument: names the option and what was expected. Exit code 2. */
export class CliError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'CliError';
  }
}

/** Parses a number option within [min, max]. */
export function numberOption(option: string, raw: string | undefined, fallback: number, min: number, max: number, integer = false): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new CliError(option, `expected ${integer ? 'an integer' : 'a number'} in ${min}..${max}, got "${raw}"`);
  }
  return v;
}

/** Parses a comma list of numbers. */
export function numberListOption(option: string, raw: string, min: number, max: number, integer = false): number[] {
  return raw.split(',').map((part, i) => numberOption(`${option}[${i}]`, part, NaN, min, max, integer));
}

/** Parses one of a fixed set of words. */
export function choiceOption<T extends string>(option: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw new CliError(option, `expected one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}
