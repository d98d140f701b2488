// Knowledge distillation support: a softmax temperature and soft targets.
//   training output p_k = softmax(z / T)_k (argmax, hence prediction, does not depend on T)
//   soft target: trainBackward(label < 0) takes y_k from D[L][k] (Q16, like the activations, in a
//   region otherwise Q24: plan.ts; outputDelta overwrites it with the Q24 δ_k), so δ_k = p_k − y_k.
//   When distilling, the host writes y = p − δ with Hinton's δ = α·T·(softmax(z/T) − q) + (1 − α)·(p − onehot)
//   already formed (host/distill/distill-train.ts: T folded into δ, the student's softmax at T = 1), so the
//   module trains on exactly that δ (to Q16); setTemperature is not used on that path.
import { ERR_CONFIG, OK } from './errors';

/** 1/T in Q16 (65536 = T = 1: the plain softmax, bit for bit). */
export let inverseTemperatureQ16: i32 = 65536;

/** Softmax temperature as 1/T in Q16 (1..2^24, i.e. T in [1/256, 65536]). */
export function setTemperature(invTQ16: i32): i32 {
  if (invTQ16 < 1 || invTQ16 > 16777216) return ERR_CONFIG;
  inverseTemperatureQ16 = invTQ16;
  return OK;
}
