/**
 * Legacy: weights files written before meta.inputTransform held the reflection folded in (below);
 * host/engine/saved-model.ts unfolds them on load. New files store the trained tensors unfolded.
 *
 * Folding the input reflection (host/data/feature-reflection.ts) into the first weight layer, so that a
 * weights file takes raw inputs. The engine's input is q = 257·x (Q16), and a reflected feature feeds
 * q′ = 257·(255 − x) = 65535 − q. So z_j = b_j + Σ_i w_ji·q′_i equals, on raw inputs,
 *   w_ji → −w_ji (reflected i),   b_j → b_j + T_j,   T_j = S_j − round(S_j / 65536),  S_j = Σ_{i reflected} w_ji
 * (T_j is S_j·65535/65536 rounded to Q24; z moves by < 2^-9 of its Q16 resolution, so at most 1 unit).
 * Unfolding computes the same T_j from the negated weights, so fold then unfold is exact and a run
 * resumed from a folded checkpoint continues bit for bit. Momentum: VW is negated with W, VB kept.
 */
import type { WeightsFile } from '../io/weights-file.ts';
import { WeightsFileError } from '../io/errors.ts';
import { decodeReflection, encodeReflection, reflectedCount, type Reflection } from '../data/feature-reflection.ts';

function transform(w: WeightsFile, r: Reflection, dir: 1 | -1, file: string): WeightsFile {
  const n0 = w.layout[0];
  const n1 = w.layout[1];
  const tensors = w.tensors.map((t) => ({ ...t, data: t.data.slice() }));
  const get = (name: string) => tensors.find((t) => t.name === name)?.data;
  const W = get('W0');
  const B = get('B0');
  if (!W || !B) throw new WeightsFileError(file, 'tensors.W0', 'missing');
  const VW = get('VW0');
  for (let j = 0; j < n1; j++) {
    let S = 0;
    for (let i = 0; i < n0; i++) if (r[i]) S += dir === 1 ? W[j * n0 + i] : -W[j * n0 + i];
    const b = B[j] + dir * (S - Math.round(S / 65536));
    if (b > 2147483647 || b < -2147483648) throw new WeightsFileError(file, 'tensors.B0', `bias ${j} leaves the Q7.24 range when the input reflection is folded in`);
    B[j] = b;
    for (let i = 0; i < n0; i++) {
      if (!r[i]) continue;
      W[j * n0 + i] = -W[j * n0 + i];
      if (VW) VW[j * n0 + i] = -VW[j * n0 + i];
    }
  }
  return { ...w, tensors };
}

/** A weights file of a network trained on reflected inputs, made to take raw inputs; meta.reflect records r. */
export function foldReflection(w: WeightsFile, r: Reflection): WeightsFile {
  if (reflectedCount(r) === 0) return w;
  return { ...transform(w, r, 1, '(engine)'), meta: { ...w.meta, reflect: encodeReflection(r) } };
}

/** The reflection a weights file recorded (meta.reflect), all zeros when it has none; errors name the file. */
export function reflectionOf(w: WeightsFile, file: string): Reflection {
  const s = w.meta?.reflect;
  if (s === undefined) return new Uint8Array(w.layout[0]);
  const r = typeof s === 'string' ? decodeReflection(s, w.layout[0]) : null;
  if (!r) throw new WeightsFileError(file, 'meta.reflect', `expected ascending input indices below ${w.layout[0]} such as "0-27,30", found ${JSON.stringify(s)}`);
  return r;
}

/** The inverse of foldReflection: the tensors the engine trained, on reflected inputs. */
export function unfoldReflection(w: WeightsFile, file: string): WeightsFile {
  const r = reflectionOf(w, file);
  return reflectedCount(r) === 0 ? w : transform(w, r, -1, file);
}
