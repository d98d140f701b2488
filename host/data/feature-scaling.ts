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
    for (let j = 0; j < width; j++) {
      const range = scale.max[j] - scale.min[j];
      const q = range > 0 ? Math.round(((row[j] - scale.min[j]) / range) * 255) : 0;
      out[i * width + j] = Math.min(255, Math.max(0, q));
    }
  });
  return out;
}
