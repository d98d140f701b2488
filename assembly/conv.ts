// 2-D convolution of the deep module (graph.ts), integer only; a dense layer is the conv whose kernel
// covers its input. Node i reads node n = i − 1 (Ci×H×W → Co×Ho×Wo), taps (ci, ky, kx) of unit (co, oy, ox)
// read input (ci, iy, ix) = (ci, oy·s + ky − p, ox·s + kx − p) when inside the input (zero padding).
//   forward    z_u = b_co + Σ_taps w·a_in              a Q16 · w Q24 summed in i64, rounded to Q16, saturated;
//                                                      taps with a_in = 0 are skipped (and not counted)
//   propagate  g_in += w·δ_u  for every tap of every listed unit u, into input units that are kept
//              (g: ∂L/∂a_in in Q24, each term rounded from Q48; the input node's D, graph.ts)
//   update     b_co −= η·δ_u,  w −= (η·δ_u)·a_in       for every listed unit u (η Q16; Q24 steps, rounded)
// A listed unit is one with δ_u ≠ 0 that the p-GAF mask kept (every unit for bp): nothing tied to a unit
// left out is multiplied or added. propagate runs before update, so it reads the weights of the forward pass.
import { sat32, shr, mulShift } from './fixed';
import { ops, PH_FORWARD, PH_DELTA, PH_UPDATE } from './counters';
import { channels, height, widthOf, kernelH, kernelW, stride, pad, regionOf, hidden, rate, R_W, R_B, R_A, R_Z, R_D, R_CNT } from './graph';

// The geometry of the node being run, set by load(): the kernels below read it from globals.
let ci = 0;
let ih = 0;
let iw = 0;
let oh = 0;
let ow = 0;
let kh = 0;
let kw = 0;
let s = 0;
let p = 0;
let wBase: usize = 0;
let aIn: usize = 0;

function loadNode(i: i32): void {
  const n = i - 1;
  ci = channels(n);
  ih = height(n);
  iw = widthOf(n);
  oh = height(i);
  ow = widthOf(i);
  kh = kernelH(i);
  kw = kernelW(i);
  s = stride(i);
  p = pad(i);
  wBase = regionOf(i, R_W);
  aIn = regionOf(n, R_A);
}

// Window of unit (oy, ox), from unitWindow: first input row/column (may be negative) and the tap range inside.
let y0 = 0;
let x0 = 0;
let kyLo = 0;
let kyHi = 0;
let kxLo = 0;
let kxHi = 0;

@inline function window(oy: i32, ox: i32): void {
  y0 = oy * s - p;
  x0 = ox * s - p;
  kyLo = y0 < 0 ? -y0 : 0;
  kyHi = ih - y0 < kh ? ih - y0 : kh;
  kxLo = x0 < 0 ? -x0 : 0;
  kxHi = iw - x0 < kw ? iw - x0 : kw;
}

/** Forward pass of conv node i: Z[i] (before a skip and the activation, deep.ts). */
export function convForward(i: i32): void {
  loadNode(i);
  const co = channels(i);
  const ksz = ci * kh * kw;
  const plane = ih * iw;
  const b = regionOf(i, R_B);
  const z = regionOf(i, R_Z);
  let macs = 0;
  let u = 0;
  for (let c = 0; c < co; c++) {
    const wc = wBase + (<usize>(c * ksz) << 2);
    const bias = <i64>load<i32>(b + (<usize>c << 2)) << 16;
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        window(oy, ox);
        let acc = bias;
        for (let q = 0; q < ci; q++) {
          for (let ky = kyLo; ky < kyHi; ky++) {
            const ar = aIn + (<usize>(q * plane + (y0 + ky) * iw + x0) << 2);
            const wr = wc + (<usize>((q * kh + ky) * kw) << 2);
            for (let kx = kxLo; kx < kxHi; kx++) {
              const v = load<i32>(ar + (<usize>kx << 2));
              if (v != 0) {
                acc += <i64>v * <i64>load<i32>(wr + (<usize>kx << 2));
                macs++;
              }
            }
          }
        }
        store<i32>(z + (<usize>u << 2), sat32(shr(acc, 24)));
        u++;
      }
    }
  }
  const n = co * oh * ow;
  ops(PH_FORWARD, macs, macs + n, n);
}

/**
 * Propagate (update = false) or update (true) over the listed units of conv node i (byte offsets at
 * list): one walk over the same taps, so both count exactly the terms they execute.
 */
export function convBackward(i: i32, list: usize, count: i32, update: bool): void {
  loadNode(i);
  const plane = ih * iw;
  const ksz = ci * kh * kw;
  const d = regionOf(i, R_D);
  const b = regionOf(i, R_B);
  const g = regionOf(i - 1, R_D);
  const cnt = hidden(i - 1) ? regionOf(i - 1, R_CNT) : 0;
  const eta = update ? rate(i) : 0;
  const area = oh * ow;
  let terms = 0;
  for (let t = 0; t < count; t++) {
    const uo = <usize>load<i32>(list + (<usize>t << 2));
    const u = <i32>(uo >> 2);
    const c = u / area;
    const r = u - c * area;
    const oy = r / ow;
    window(oy, r - oy * ow);
    // propagate: δ (Q24) times w (Q24); update: the step g = η·δ (Q24) times a (Q16)
    let f: i64 = <i64>load<i32>(d + uo);
    if (update) {
      const step = mulShift(<i32>f, eta, 16);
      f = <i64>step;
      const bp = b + (<usize>c << 2);
      store<i32>(bp, sat32(<i64>load<i32>(bp) - f));
    }
    const wc = wBase + (<usize>(c * ksz) << 2);
    for (let q = 0; q < ci; q++) {
      for (let ky = kyLo; ky < kyHi; ky++) {
        const io = q * plane + (y0 + ky) * iw + x0;
        const wr = wc + (<usize>((q * kh + ky) * kw) << 2);
        for (let kx = kxLo; kx < kxHi; kx++) {
          const wp = wr + (<usize>kx << 2);
          if (update) {
            const v = load<i32>(aIn + (<usize>(io + kx) << 2));
            if (v != 0) {
              store<i32>(wp, sat32(<i64>load<i32>(wp) - shr(f * <i64>v, 16)));
              terms++;
            }
          } else if (cnt == 0 || load<u8>(cnt + <usize>(io + kx)) != 0) {
            const gp = g + (<usize>(io + kx) << 2);
            store<i32>(gp, sat32(<i64>load<i32>(gp) + shr(f * <i64>load<i32>(wp), 24)));
            terms++;
          }
        }
      }
    }
  }
  // update, per unit: η·δ (1 multiply), the bias (1 add); per weight: step·a (1 multiply), 1 add.
  if (update) ops(PH_UPDATE, count + terms, count + terms, count + terms);
  else ops(PH_DELTA, terms, terms, terms);
}
