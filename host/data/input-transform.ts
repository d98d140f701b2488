/**
 * The input transform of a model: how one raw feature row becomes the u8 inputs the engine trains on.
 * It is part of the model: recorded in the weights file and every checkpoint (meta.inputTransform,
 * schema below), applied by the host to raw rows (applyInputTransform), and emitted by `spintrain build`
 * as integer tables for boards/glue/portable/st_input.c.
 *
 *   kind "raw-u8"   u = clamp(round(x), 0, 255)               (IDX bytes, XOR: the rows are already u8)
 *   kind "min-max"  u = clamp(round((x − min_i)·255/(max_i − min_i)), 0, 255); 0 when max_i = min_i
 *                   (host/data/feature-scaling.ts quantiseValue; min and max fitted on the train split)
 *   then, for each feature in `reflect`, u → 255 − u      (--normalize reflect, feature-reflection.ts)
 *
 * round is round-half-up (Math.round). The weights are the network the engine trained on u: nothing is
 * folded into them, so a saved model applied to raw rows with its transform computes exactly what
 * training measured. For integer x, min and max (|·| < 2^31) the float formula equals the exact
 * round-half-up of the rational (x − min)·255/(max − min), which is what the integer C code computes:
 * a non-tie is at least 1/(2·range) ≥ 2^-33 from a half while the two float roundings move t by < 2^-44,
 * and a tie (x − min)/range = (2k+1)/510 rounds up in float for each of the 255 values of k (checked
 * exhaustively in test/data/input-transform.spec.ts).
 *
 * Stored form (JSON in the string meta field "inputTransform"):
 *   {"v":1,"kind":"raw-u8","reflect":"0-27,30"}        reflect optional ("" or absent: none)
 *   {"v":1,"kind":"min-max","min":[…],"max":[…],"reflect":"…"}   one finite min ≤ max per input
 * Unknown fields, another "v", a wrong length or a bad number are refused (WeightsFileError naming the
 * file and the field, e.g. "meta.inputTransform.min[3]").
 */
import { WeightsFileError } from '../io/errors.ts';
import { shown } from '../io/show-value.ts';
import type { Dataset } from './dataset.ts';
import { quantiseValue } from './feature-scaling.ts';
import { decodeReflection, encodeReflection, reflectedCount, type Reflection } from './feature-reflection.ts';

export const INPUT_TRANSFORM_META = 'inputTransform';
export const INPUT_TRANSFORM_VERSION = 1;

/** How raw features become the engine's u8 inputs (see the module comment). */
export type InputTransform =
  | { kind: 'raw-u8'; features: number; reflect?: Reflection }
  | { kind: 'min-max'; features: number; min: number[]; max: number[]; reflect?: Reflection };

/** The transform a training run applies: the data set's own quantisation, then the run's reflection (if any). */
export function datasetInputTransform(d: Dataset, reflection?: Reflection): InputTransform {
  const reflect = reflection && reflectedCount(reflection) > 0 ? reflection : undefined;
  const t: InputTransform = d.inputScale
    ? { kind: 'min-max', features: d.inputs, min: [...d.inputScale.min], max: [...d.inputScale.max] }
    : { kind: 'raw-u8', features: d.inputs };
  if (reflect) t.reflect = reflect;
  return t;
}

/** Feature `i` of a raw row as the engine's u8 input. */
export function transformValue(t: InputTransform, i: number, x: number): number {
  let u: number;
  if (t.kind === 'min-max') u = quantiseValue(x, t.min[i], t.max[i]);
  else {
    const r = Math.round(x);
    u = r >= 255 ? 255 : r > 0 ? r : 0; // NaN → 0, as quantiseValue
  }
  return t.reflect && t.reflect[i] ? 255 - u : u;
}

/** Raw feature rows (each of t.features values) → row-major u8 inputs, as the model was trained on them. */
export function applyInputTransform(t: InputTransform, rows: readonly ArrayLike<number>[]): Uint8Array {
  const n = t.features;
  const out = new Uint8Array(rows.length * n);
  rows.forEach((row, s) => {
    if (row.length !== n) throw new RangeError(`row ${s}: expected ${n} features, found ${row.length}`);
    for (let i = 0; i < n; i++) out[s * n + i] = transformValue(t, i, row[i]);
  });
  return out;
}

/** The reflection step alone on u8 inputs already quantised (row-major); `x` itself when nothing is reflected. */
export function reflectU8(t: InputTransform, x: Uint8Array): Uint8Array {
  const r = t.reflect;
  if (!r || reflectedCount(r) === 0) return x;
  const out = Uint8Array.from(x);
  for (let k = 0; k < out.length; k++) if (r[k % t.features]) out[k] = 255 - out[k];
  return out;
}

/** The stored JSON (meta.inputTransform). */
export function encodeInputTransform(t: InputTransform): string {
  const reflect = t.reflect && reflectedCount(t.reflect) > 0 ? { reflect: encodeReflection(t.reflect) } : {};
  if (t.kind === 'min-max') return JSON.stringify({ v: INPUT_TRANSFORM_VERSION, kind: t.kind, min: t.min, max: t.max, ...reflect });
  return JSON.stringify({ v: INPUT_TRANSFORM_VERSION, kind: t.kind, ...reflect });
}

/** Whether two transforms map every raw row to the same inputs (same kind, numbers and reflection). */
export function sameInputTransform(a: InputTransform, b: InputTransform): boolean {
  return a.features === b.features && encodeInputTransform(a) === encodeInputTransform(b);
}

/** One line for logs and errors: "min-max over 4 features, 1 reflected". */
export function describeInputTransform(t: InputTransform): string {
  const r = t.reflect ? reflectedCount(t.reflect) : 0;
  return `${t.kind} over ${t.features} features${r ? `, ${r} reflected (${encodeReflection(t.reflect!)})` : ''}`;
}

/** meta.inputTransform (a string of JSON) of a file whose network takes `features` inputs; errors name `file` and the field. */
export function parseInputTransform(raw: unknown, features: number, file: string): InputTransform {
  const base = `meta.${INPUT_TRANSFORM_META}`;
  const fail = (field: string, detail: string): never => {
    throw new WeightsFileError(file, field === '' ? base : `${base}.${field}`, detail);
  };
  if (typeof raw !== 'string') return fail('', `expected a JSON string, found ${shown(raw)}`);
  let o: unknown;
  try {
    o = JSON.parse(raw);
  } catch {
    return fail('', `expected JSON, found ${shown(raw.length > 60 ? raw.slice(0, 60) + '…' : raw)}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return fail('', `expected a JSON object, found ${shown(o)}`);
  const rec = o as Record<string, unknown>;
  if (rec.v !== INPUT_TRANSFORM_VERSION) fail('v', `expected ${INPUT_TRANSFORM_VERSION}, found ${shown(rec.v)} (written by a newer spintrain?)`);
  const kind = rec.kind;
  if (kind !== 'raw-u8' && kind !== 'min-max') return fail('kind', `expected "raw-u8" or "min-max", found ${shown(kind)}`);
  const known = kind === 'min-max' ? ['v', 'kind', 'min', 'max', 'reflect'] : ['v', 'kind', 'reflect'];
  for (const key of Object.keys(rec)) if (!known.includes(key)) fail(key, `unknown field for kind "${kind}"`);
  let reflect: Reflection | undefined;
  if (rec.reflect !== undefined) {
    const r = typeof rec.reflect === 'string' ? decodeReflection(rec.reflect, features) : null;
    if (!r) return fail('reflect', `expected ascending input indices below ${features} such as "0-27,30", found ${shown(rec.reflect)}`);
    if (reflectedCount(r) > 0) reflect = r;
  }
  if (kind === 'raw-u8') return reflect ? { kind, features, reflect } : { kind, features };
  const numbers = (field: 'min' | 'max'): number[] => {
    const a = rec[field];
    if (!Array.isArray(a)) return fail(field, `expected an array of ${features} numbers, found ${shown(a)}`);
    if (a.length !== features) fail(field, `expected ${features} numbers (one per input), found ${a.length}`);
    a.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}[${i}]`, `expected a finite number, found ${shown(x)}`);
    });
    return a as number[];
  };
  const min = numbers('min');
  const max = numbers('max');
  min.forEach((m, i) => {
    if (!(m <= max[i])) fail(`max[${i}]`, `expected ≥ min[${i}] = ${m}, found ${max[i]}`);
  });
  return reflect ? { kind, features, min, max, reflect } : { kind, features, min, max };
}
