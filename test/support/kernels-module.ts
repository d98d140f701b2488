/**
 * The engine's test build (asconfig target "kernels", `npm run build:kernels`, part of `npm run build`
 * and so of `npm test`'s pretest): the release ABI plus the fixed-point kernels
 * (assembly/kernels-test.ts), for the golden-value tests. The release module does not export them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { instantiateEngine, type EngineExports } from '../../host/engine/wasm-engine.ts';

export const KERNELS_WASM_PATH = fileURLToPath(new URL('../../build/spintrain.kernels.wasm', import.meta.url));

/** The kernels the test build exports besides the release ABI. */
export const KERNEL_EXPORTS = ['qExpNeg', 'qMulShift', 'qNegLn', 'qSigmoid', 'qTanh'] as const;

export interface KernelExports extends EngineExports {
  /** σ(z), Q16 in and out (assembly/activation.ts). */
  qSigmoid(z: number): number;
  /** tanh(z), Q16. */
  qTanh(z: number): number;
  /** e^x for x ≤ 0, Q16. */
  qExpNeg(x: number): number;
  /** −ln p, Q16 in and out (assembly/loss.ts). */
  qNegLn(p: number): number;
  /** (a·b) >> s, rounded half up, saturated (assembly/fixed.ts). */
  qMulShift(a: number, b: number, s: number): number;
}

export function readKernelsWasm(path = KERNELS_WASM_PATH): Uint8Array<ArrayBuffer> {
  if (!existsSync(path)) throw new Error(`${path}: the engine's test build is missing; build it with \`npm run build:kernels\` (or \`npm run build\`)`);
  return readFileSync(path);
}

/** Instantiates the test build alone (no host bit source). */
export function instantiateKernels(): KernelExports {
  return instantiateEngine(readKernelsWasm()) as KernelExports;
}
