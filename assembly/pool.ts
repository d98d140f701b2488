// Pooling of the deep module (graph.ts) over s×s windows at stride s, per channel, no padding.
//   max      a_u = max over the window; Z[u] keeps the chosen input's index (the first maximum)
//            backward: g_in[Z[u]] += δ_u
//   average  a_u = round(Σ window / s²)   (s = 2 or 4: a rounded shift)
//            backward: g_in[every tap] += round(δ_u / s²)
// No weights, no activation: a pool node's D is ∂L/∂a, and backward routes only into kept input units
// (the input conv node's p-GAF mask) and only from units with δ_u ≠ 0. Compares are not counted.
import { sat32, shr } from './fixed';
import { ops, PH_FORWARD, PH_DELTA } from './counters';
import { kind, channels, height, widthOf, stride, regionOf, hidden, KIND_MAX_POOL, R_A, R_Z, R_D, R_CNT } from './graph';

/** log2 of the window area s² (s = 2: 2, s = 4: 4; s = 3 is refused for average pools by graph.ts). */
@inline function areaLog2(s: i32): i32 {
  return s == 2 ? 2 : 4;
}

export function poolForward(i: i32): void {
  const n = i - 1;
  const s = stride(i);
  const iw = widthOf(n);
  const plane = height(n) * iw;
  const c = channels(i);
  const oh = height(i);
  const ow = widthOf(i);
  const aIn = regionOf(n, R_A);
  const a = regionOf(i, R_A);
  const z = regionOf(i, R_Z);
  const max = kind(i) == KIND_MAX_POOL;
  let u = 0;
  for (let q = 0; q < c; q++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const first = q * plane + oy * s * iw + ox * s;
        let best = load<i32>(aIn + (<usize>first << 2));
        let at = first;
        let sum: i64 = 0;
        for (let ky = 0; ky < s; ky++) {
          for (let kx = 0; kx < s; kx++) {
            const idx = first + ky * iw + kx;
            const v = load<i32>(aIn + (<usize>idx << 2));
            sum += <i64>v;
            if (v > best) {
              best = v;
              at = idx;
            }
          }
        }
        store<i32>(a + (<usize>u << 2), max ? best : sat32(shr(sum, areaLog2(s))));
        store<i32>(z + (<usize>u << 2), max ? at : 0);
        u++;
      }
    }
  }
  ops(PH_FORWARD, 0, max ? 0 : u * s * s, u);
}

/** Routes the listed units' δ (byte offsets at list) of pool node i into the input node's D (kept units only). */
export function poolBackward(i: i32, list: usize, count: i32): void {
  const n = i - 1;
  const s = stride(i);
  const iw = widthOf(n);
  const plane = height(n) * iw;
  const area = height(i) * widthOf(i);
  const ow = widthOf(i);
  const d = regionOf(i, R_D);
  const z = regionOf(i, R_Z);
  const g = regionOf(n, R_D);
  const cnt = hidden(n) ? regionOf(n, R_CNT) : 0;
  const max = kind(i) == KIND_MAX_POOL;
  let adds = 0;
  for (let t = 0; t < count; t++) {
    const uo = <usize>load<i32>(list + (<usize>t << 2));
    const dv = load<i32>(d + uo);
    if (max) {
      const idx = load<i32>(z + uo);
      if (cnt == 0 || load<u8>(cnt + <usize>idx) != 0) {
        const gp = g + (<usize>idx << 2);
        store<i32>(gp, sat32(<i64>load<i32>(gp) + <i64>dv));
        adds++;
      }
      continue;
    }
    const share = shr(<i64>dv, areaLog2(s));
    const u = <i32>(uo >> 2);
    const q = u / area;
    const r = u - q * area;
    const oy = r / ow;
    const first = q * plane + oy * s * iw + (r - oy * ow) * s;
    for (let ky = 0; ky < s; ky++) {
      for (let kx = 0; kx < s; kx++) {
        const idx = first + ky * iw + kx;
        if (cnt == 0 || load<u8>(cnt + <usize>idx) != 0) {
          const gp = g + (<usize>idx << 2);
          store<i32>(gp, sat32(<i64>load<i32>(gp) + share));
          adds++;
        }
      }
    }
  }
  ops(PH_DELTA, 0, adds, adds);
}
