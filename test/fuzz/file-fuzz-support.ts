/**
 * Shared pieces of the file-reader fuzz suites (test/fuzz/*.fuzz.spec.ts): the run count, nasty JSON
 * values, JSON-field and byte mutations, and the property every reader must hold:
 *
 *   the reader returns a valid value (no NaN anywhere in it), or throws the project's typed file
 *   error whose message names the file (and, for semantic errors, the field); never a TypeError,
 *   RangeError or SyntaxError, and never takes longer than CASE_LIMIT_MS on one case.
 *
 * Runs: FUZZ_RUNS (env) cases per suite file, shared among the file's properties by weight (the
 * weights of a file sum to 1); by default DEFAULT_FUZZ_RUNS, so that each file takes well under 15 s
 * (a few thousand cases in all). `FUZZ_RUNS=100000 npx vitest run test/fuzz` (npm run fuzz) runs
 * 10^5 cases per file. Seeds: `npm test` (no FUZZ_RUNS) uses the fixed DEFAULT_FUZZ_SEED, so the
 * suite is the same run after run; with FUZZ_RUNS set every run draws a new seed (fast-check prints it
 * on failure). FUZZ_SEED fixes the seed to replay a failure; FUZZ_STATS=1 prints how many cases each
 * file accepted and refused.
 */
import fc from 'fast-check';
import { expect } from 'vitest';

export const DEFAULT_FUZZ_RUNS = 1000;
/** fast-check's seed in `npm test`: fixed, so that the suite does not change from run to run. */
export const DEFAULT_FUZZ_SEED = 20261130;
export const FUZZ_RUNS = (() => {
  const raw = process.env.FUZZ_RUNS;
  const n = raw === undefined || raw === '' ? DEFAULT_FUZZ_RUNS : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_RUNS: expected a positive integer, got "${raw}"`);
  return n;
})();

/** A single case that takes this long counts as a hang. */
export const CASE_LIMIT_MS = 5_000;

/** fast-check parameters for a property that runs the share `weight` of the file's FUZZ_RUNS cases. */
export function params(weight = 1): fc.Parameters<unknown> {
  const fixed = process.env.FUZZ_RUNS === undefined || process.env.FUZZ_RUNS === '' ? DEFAULT_FUZZ_SEED : undefined;
  const seed = process.env.FUZZ_SEED === undefined ? fixed : Number(process.env.FUZZ_SEED);
  return { numRuns: runs(weight), ...(seed === undefined ? {} : { seed }), endOnFailure: true };
}

export function runs(weight = 1): number {
  return Math.max(1, Math.round(FUZZ_RUNS * weight));
}

/** A vitest timeout for `weight`·FUZZ_RUNS cases of about `msPerCase` each (generous: shared 2-core machines). */
export function timeoutFor(weight: number, msPerCase: number): number {
  return Math.max(60_000, Math.ceil(runs(weight) * msPerCase * 4));
}

/** Outcomes per suite (accepted values, typed errors), printed after the suite when FUZZ_STATS is set. */
export const outcomes = { accepted: 0, refused: 0 };
export function printOutcomes(suite: string): void {
  if (process.env.FUZZ_STATS) console.log(`${suite}: ${outcomes.accepted + outcomes.refused} cases, ${outcomes.accepted} accepted, ${outcomes.refused} refused with a typed error`);
}

/** Values of the wrong type, out of range, non-finite, huge, negative, fractional, or of the right type but odd. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(null, true, false, '', 'false', 'true', '0', '1', 'NaN', '-Infinity', '1e9', [], {}, [null], [1], { a: 1 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, -2, 0, -0, 1, 2, 0.5, -0.5, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, 1e9, 1e300, -1e300, Number.MIN_VALUE, Number.MAX_VALUE, 1e-300),
  },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 20 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

export type JsonPath = (string | number)[];

/** Every path to a value inside `x` (objects and arrays included, the root excluded). */
export function jsonPaths(x: unknown, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  if (typeof x === 'object' && x !== null) {
    for (const [k, v] of Object.entries(x)) {
      const p = [...prefix, Array.isArray(x) ? Number(k) : k];
      out.push(p);
      jsonPaths(v, p, out);
    }
  }
  return out;
}

/** One mutation of a JSON value: replace, delete, or add a field somewhere. */
export interface JsonMutation {
  pick: number;
  op: 'set' | 'delete' | 'add' | 'scale';
  value: unknown;
  key: string;
  factor: number;
}

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom<JsonMutation['op']>('set', 'set', 'set', 'delete', 'add', 'scale'),
  value: nastyValue,
  key: fc.constantFrom('extra', '__proto__', 'constructor', 'toString', 'length', '0'),
  factor: fc.constantFrom(-1, 0, 0.5, 2, 1e6, 1.0000001),
});

/** A deep copy of `base` with the mutations applied (paths chosen among the copy's current paths). */
export function mutateJson<T>(base: T, mutations: readonly JsonMutation[]): T {
  const root = structuredClone(base) as unknown;
  for (const mutation of mutations) {
    // A copy of the value per insertion: inserting one object twice could nest it in itself (a cycle).
    const m = { ...mutation, value: structuredClone(mutation.value) };
    const paths = jsonPaths(root);
    if (paths.length === 0) break;
    const path = paths[m.pick % paths.length];
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;
    const key = path[path.length - 1];
    if (m.op === 'set') parent[key] = m.value;
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (m.op === 'add') {
      const target = parent[key];
      if (Array.isArray(target)) target.push(m.value);
      else if (typeof target === 'object' && target !== null) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      else parent[key] = m.value;
    } else if (typeof parent[key] === 'number') parent[key] = (parent[key] as number) * m.factor;
    else parent[key] = m.value;
  }
  return root as T;
}

/** Byte-level damage: flips, overwrites, truncation, extension. */
export interface ByteMutation {
  at: number;
  kind: 'flip' | 'set' | 'truncate' | 'append' | 'zero';
  value: number;
}

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<ByteMutation['kind']>('flip', 'flip', 'set', 'set', 'truncate', 'append', 'zero'),
  value: fc.integer({ min: 0, max: 255 }),
});

export function mutateBytes(base: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  let b = base.slice();
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === 'flip' && b.length) b[at] ^= 1 << (m.value & 7);
    else if (m.kind === 'set' && b.length) b[at] = m.value;
    else if (m.kind === 'zero' && b.length) b[at] = 0;
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'append') b = Uint8Array.from([...b, m.value]);
  }
  return b;
}

/** Paths of NaN or ±Infinity numbers anywhere in `x` (typed integer arrays cannot hold them). */
export function nonFinitePaths(x: unknown, path = '', out: string[] = [], seen = new Set<unknown>()): string[] {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) out.push(path || '(root)');
  } else if (typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && !seen.has(x)) {
    seen.add(x);
    for (const [k, v] of Object.entries(x)) nonFinitePaths(v, `${path}.${k}`, out, seen);
  } else if (x instanceof Float32Array || x instanceof Float64Array) {
    if (x.some((v) => !Number.isFinite(v))) out.push(path);
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass = abstract new (...args: any[]) => Error;

export interface Expected {
  /** The file the message must name. */
  file: string;
  /** Typed errors the reader may throw. */
  errors: readonly ErrorClass[];
  /** For errors with a `field`: the message must name it too (default true). */
  fieldInMessage?: boolean;
}

/**
 * Runs `read` once: a value must pass `check` and hold no NaN/Infinity; an error must be one of the
 * typed errors, naming the file (and its field). Returns the value, or undefined after a good error.
 */
export function expectValueOrTypedError<T>(read: () => T, expected: Expected, check: (v: T) => void = () => {}): T | undefined {
  const t0 = performance.now();
  let value: T;
  try {
    value = read();
  } catch (e) {
    return refused(e, expected, t0);
  }
  withinLimit(t0);
  check(accepted(value));
  return value;
}

/** Async form of expectValueOrTypedError. */
export async function expectValueOrTypedErrorAsync<T>(read: () => Promise<T>, expected: Expected, check: (v: T) => void | Promise<void> = () => {}): Promise<T | undefined> {
  const t0 = performance.now();
  let value: T;
  try {
    value = await read();
  } catch (e) {
    return refused(e, expected, t0);
  }
  withinLimit(t0);
  await check(accepted(value));
  return value;
}

function withinLimit(t0: number): void {
  expect(performance.now() - t0, 'one case took too long (a hang?)').toBeLessThan(CASE_LIMIT_MS);
}

function refused(e: unknown, expected: Expected, t0: number): undefined {
  withinLimit(t0);
  expectTypedError(e, expected);
  outcomes.refused++;
  return undefined;
}

function accepted<T>(value: T): T {
  expect(nonFinitePaths(value), 'NaN or Infinity in a result').toEqual([]);
  outcomes.accepted++;
  return value;
}

export function expectTypedError(e: unknown, expected: Expected): void {
  if (!expected.errors.some((c) => e instanceof c)) {
    throw new Error(`leaked ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}\n${(e as Error)?.stack ?? ''}`);
  }
  const err = e as Error & { field?: unknown };
  expect(err.message, 'the message names the file').toContain(expected.file);
  if (expected.fieldInMessage !== false && typeof err.field === 'string') {
    expect(err.field.length, 'the field is named').toBeGreaterThan(0);
    expect(err.message, 'the message names the field').toContain(err.field);
  }
  expect(err.message).not.toMatch(/\bundefined\b|\[object Object\]/);
}
