// Test build of the engine (asconfig target "kernels", build/spintrain.kernels.wasm): the release
// module's ABI (index.ts) plus its fixed-point kernels, exported for the golden-value tests
// (test/engine/fixed-point.spec.ts). The release module does not export them.
import { mulShift } from './fixed';
import { sigmoidQ, tanhQ, expNegQ } from './activation';
import { negLnQ16 } from './loss';

export * from './index';

export function qSigmoid(z: i32): i32 {
  return sigmoidQ(z);
}
export function qTanh(z: i32): i32 {
  return tanhQ(z);
}
export function qExpNeg(x: i32): i32 {
  return expNegQ(x);
}
export function qMulShift(a: i32, b: i32, s: i32): i32 {
  return mulShift(a, b, s);
}
export function qNegLn(p: i32): i32 {
  return negLnQ16(p);
}
