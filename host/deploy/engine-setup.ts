/**
 * The engine setup SpintrainEngine's constructor performs (host/engine/wasm-engine.ts), as data, for
 * the runtimes that replay it outside V8 (spectest script, C config header). The edge tests compare
 * every runtime's weights with V8's bit for bit, so a drift between this file and the constructor fails.
 */
import { ACTIVATIONS, ALGORITHMS, OUTPUTS, learningRates, type NetworkConfig } from '../engine/config.ts';

/** Q16 as the host rounds it (Math.round(x · 65536)). */
export const q16 = (x: number): number => Math.round(x * 65536);
/** Q24 as the host rounds it (Math.round(x · 2^24)). */
export const q24 = (x: number): number => Math.round(x * 2 ** 24);

export type SetupNetwork = Pick<NetworkConfig, 'layout' | 'activation' | 'output' | 'algorithm' | 'momentum' | 'reluSampled'> & { pairs?: number };

/** configure(layers, act, out, algo, source, flags, momentumQ16, pairsLog2); source 0 PRNG, 1 import. */
export function configureArgs(n: SetupNetwork, source: 0 | 1): number[] {
  return [n.layout.length, ACTIVATIONS.indexOf(n.activation), OUTPUTS.indexOf(n.output), ALGORITHMS.indexOf(n.algorithm), source, n.reluSampled ? 1 : 0, q16(n.momentum), Math.log2(n.pairs ?? 1)];
}

/** The calls after scheduleTrainingMemory, in order: learning rates, decay, floor, clip, weights, draw seed. */
export function tuningCalls(n: NetworkConfig): [name: string, args: number[]][] {
  return [
    ...learningRates(n).map((lr, l): [string, number[]] => ['setLearningRate', [l, q16(lr)]]),
    ['setDecay', [q16(n.decay)]],
    ['setProbabilityFloor', [q16(n.probabilityFloor)]],
    ['setDeltaClip', [q24(n.deltaClip)]],
    ['initWeights', [n.seed]],
    ['rngSeed', [(n.seed ^ 0x5bd1e995) >>> 0]],
  ];
}
