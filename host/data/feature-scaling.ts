/**
 * Min-max quantisation of real-valued features to u8 0..255. The scale is fitted on one set of rows
 * (the train split) and applied unchanged to others (the test split), clamping values out of range.
 */

/** Per-feature minimum and maximum of the rows the scale was fitted on. */
export interface MinMaxScale {
  min: number[];
  max: number[];
}

/** Fit the per-feature min and max of `rows` (all of equal length). */
export function fitMinMax(rows: readonly (readonly number[])[]): MinMaxScale {
  if (rows.length === 0) throw new RangeError('cannot fit a min-max scale on zero rows');
  const width = rows[0].length;
  const min = new Array<number>(width).fill(Infinity);
  const max = new Array<number>(width).fill(-Infinity);
  for (const row of rows) {
    for (let j = 0; j < width; j++) {
      if (row[j] < min[j]) min[j] = row[j];
      if (row[j] > max[j]) max[j] = row[j];
    }
  }
  return { min, max };
}

/** Quantise rows to u8 (row-major): round((v - min) / (max - min) · 255), clamped to 0..255; a constant feature maps to 0. */
export function quantiseU8(rows: readonly (readonly number[])[], scale: MinMaxScale): Uint8Array {
  const width = scale.min.length;
  const out = new Uint8Array(rows.length * width);
  rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = quantiseValue(row[j], scale.min[j], scale.max[j]);
  });
  return out;
}

/**
 * One value quantised with the feature's min and max: round((v - min) / (max - min) · 255), clamped to
 * 0..255; 0 for a constant feature. A range wider than the largest double (min −1e308, max 1e308) is
 * taken at half scale, which is exact, so no NaN or Infinity can appear for finite inputs.
 */
export function quantiseValue(v: number, min: number, max: number): number {
  let range = max - min;
  if (!(range > 0)) return 0;
  let offset = v - min;
  if (!Number.isFinite(range) || !Number.isFinite(offset)) {
    range = max / 2 - min / 2;
    offset = v / 2 - min / 2;
  }
  const q = Math.round((offset / range) * 255);
  return q >= 255 ? 255 : q > 0 ? q : 0;
}

/** The fitted scale as a data set records it (Dataset.inputScale): per-feature min and max of the train split. */
export interface MinMaxInputScale extends MinMaxScale {
  kind: 'min-max';
}

/**
 * Fit the per-feature min and max of the rows `rows` of a row-major table `values` of `width`
 * columns (the train split's rows only).
 */
export function fitMinMaxRows(values: Float64Array, width: number, rows: ArrayLike<number>): MinMaxInputScale {
  if (rows.length === 0) throw new RangeError('cannot fit a min-max scale on zero rows');
  const min = new Array<number>(width).fill(Infinity);
  const max = new Array<number>(width).fill(-Infinity);
  for (let k = 0; k < rows.length; k++) {
    const base = rows[k] * width;
    for (let j = 0; j < width; j++) {
      const v = values[base + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  return { kind: 'min-max', min, max };
}

/** Quantise the rows `rows` of a row-major table `values` to u8 with `scale` (see quantiseValue), in that order. */
export function quantiseRowsU8(values: Float64Array, width: number, rows: ArrayLike<number>, scale: MinMaxScale): Uint8Array {
  const out = new Uint8Array(rows.length * width);
  for (let k = 0; k < rows.length; k++) {
    const base = rows[k] * width;
    for (let j = 0; j < width; j++) out[k * width + j] = quantiseValue(values[base + j], scale.min[j], scale.max[j]);
  }
  return out;
}
