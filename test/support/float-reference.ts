/** Shared pieces of the tests that compare the fixed-point engine with the float64 reference. */
import { ReferenceMlp } from '../harness/reference-mlp.ts';
import type { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import type { NetworkConfig, TrainingAlgorithm } from '../../host/engine/config.ts';

const Q24 = 2 ** 24;
const toFloat = (a: Int32Array): Float64Array => Float64Array.from(a, (v) => v / Q24);

/** A float reference starting from the engine's current parameters (and slopes/shifts, when trainable). */
export function referenceFrom(
  engine: SpintrainEngine,
  config: NetworkConfig<TrainingAlgorithm>,
  bits?: ConstructorParameters<typeof ReferenceMlp>[2],
): ReferenceMlp {
  const p = engine.exportParameters();
  const init = { weights: p.weights.map(toFloat), biases: p.biases.map(toFloat) };
  const slopes = p.slopes && p.shifts ? { slopes: p.slopes.map(toFloat), shifts: p.shifts.map(toFloat) } : {};
  return new ReferenceMlp(config, { ...init, ...slopes }, bits);
}

/** The engine's own input quantisation: x · 257 / 65536. */
export const engineInput = (x: Uint8Array): number[] => Array.from(x, (v) => (v * 257) / 65536);

/** The training loss the engine's gradient belongs to: CE for softmax, squared error for sigmoid outputs. */
export function loss(ref: ReferenceMlp, label: number): number {
  ref.forward();
  const a = ref.A[ref.A.length - 1];
  if (ref.config.output === 'softmax') return -Math.log(a[label]);
  return a.reduce((s, v, k) => s + 0.5 * (v - ((a.length === 1 ? label !== 0 : k === label) ? 1 : 0)) ** 2, 0);
}
