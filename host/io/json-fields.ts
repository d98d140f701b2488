/**
 * Typed field checks for the project's JSON files (run.json, power.json, …). Rule: a field is
 * read only through a check of its type and range, and a failure names the field by its full path
 * (e.g. "perEpoch[3].keptFraction[0]") through the file's own typed error (`fail`). Numbers must
 * be JSON numbers (never numeric strings or booleans) and finite; NaN never passes.
 */
import { shown } from './show-value.ts';

export type FieldFail = (field: string, reason: string) => never;

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export class JsonFields {
  constructor(readonly fail: FieldFail) {}

  object(x: unknown, field: string): Record<string, unknown> {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) this.fail(field, `expected an object, got ${shown(x)}`);
    return x as Record<string, unknown>;
  }

  array(x: unknown, field: string, maxLength = 1_000_000): unknown[] {
    if (!Array.isArray(x)) this.fail(field, `expected an array, got ${shown(x)}`);
    if ((x as unknown[]).length > maxLength) this.fail(field, `expected at most ${maxLength} entries, got ${(x as unknown[]).length}`);
    return x as unknown[];
  }

  number(x: unknown, field: string, rule: NumberRule = {}): number {
    const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE, integer = false } = rule;
    const ok = typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max && (!integer || Number.isSafeInteger(x));
    if (!ok) {
      const lo = min === -Number.MAX_VALUE ? '' : `${min}`;
      const hi = max === Number.MAX_VALUE ? '' : `${max}`;
      const range = lo || hi ? ` in ${lo || '−∞'}..${hi || '∞'}` : '';
      this.fail(field, `expected ${integer ? 'an integer' : 'a finite number'}${range}, got ${shown(x)}`);
    }
    return x as number;
  }

  /** A non-negative integer count (≤ 2^53 − 1). */
  count(x: unknown, field: string, min = 0): number {
    return this.number(x, field, { min, max: Number.MAX_SAFE_INTEGER, integer: true });
  }

  /** A fraction in [0, 1] (accuracies, kept fractions). */
  fraction(x: unknown, field: string): number {
    return this.number(x, field, { min: 0, max: 1 });
  }

  string(x: unknown, field: string, nonEmpty = true, maxLength = 10_000): string {
    if (typeof x !== 'string' || (nonEmpty && x === '')) this.fail(field, `expected ${nonEmpty ? 'a non-empty string' : 'a string'}, got ${shown(x)}`);
    if ((x as string).length > maxLength) this.fail(field, `expected at most ${maxLength} characters, got ${(x as string).length}`);
    return x as string;
  }

  boolean(x: unknown, field: string): boolean {
    if (typeof x !== 'boolean') this.fail(field, `expected true or false, got ${shown(x)}`);
    return x as boolean;
  }

  oneOf<T extends string | number>(x: unknown, field: string, choices: readonly T[]): T {
    if (!choices.includes(x as T)) this.fail(field, `expected one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${shown(x)}`);
    return x as T;
  }

  /** Each element of an array through `check`, with its index in the field path. */
  each<T>(x: unknown, field: string, check: (v: unknown, field: string) => T, maxLength?: number): T[] {
    return this.array(x, field, maxLength).map((v, i) => check(v, `${field}[${i}]`));
  }
}
