/**
 * The engine setup as data: the exact calls SpintrainEngine's constructor makes after layoutSet, in
 * order. The constructor runs them, and the runtimes that replay a setup outside V8 (the spectest
 * script, the C config header) read them from here, so there is one sequence; the edge tests compare
 * every runtime's weights with V8's bit for bit.
 */
import { ACTIVATIONS, DEFAULT_PAIR_STEP, OUTPUTS, TRAINING_ALGORITHMS, learningRates, type NetworkConfig, type TrainingAlgorithm } from './config.ts';
import { initialDrawSeed } from './draw-seed.ts';

/** Q16 as the host rounds it (Math.round(x · 65536)). */
export const q16 = (x: number): number => Math.round(x * 65536);
/** Q24 as the host rounds it (Math.round(x · 2^24)). */
export const q24 = (x: number): number => Math.round(x * 2 ** 24);

export type SetupNetwork = Pick<NetworkConfig<TrainingAlgorithm>, 'layout' | 'activation' | 'output' | 'algorithm' | 'momentum' | 'reluSampled'> & {
  pairs?: number;
  trainableActivation?: boolean;
};

/**
 * configure(layers, act, out, algo, source, flags, momentumQ16, pairsLog2); source 0 PRNG, 1 import,
 * 2 host buffer; flags bit 0 sampled ReLU, bit 1 trainable activation.
 */
export function configureArgs(n: SetupNetwork, source: 0 | 1 | 2): number[] {
  return [
    n.layout.length,
    ACTIVATIONS.indexOf(n.activation),
    OUTPUTS.indexOf(n.output),
    TRAINING_ALGORITHMS.indexOf(n.algorithm),
    source,
    (n.reluSampled ? 1 : 0) | (n.trainableActivation ? 2 : 0),
    q16(n.momentum),
    Math.log2(n.pairs ?? 1),
  ];
}

/**
 * The calls after scheduleTrainingMemory, in order: learning rates, decay, floor, clip, activation
 * range (when set), pair step, temperature, weights, draw seed.
 */
export function tuningCalls(n: NetworkConfig<TrainingAlgorithm>): [name: string, args: number[]][] {
  const r = n.activationRange;
  return [
    ...learningRates(n).map((lr, l): [string, number[]] => ['setLearningRate', [l, q16(lr)]]),
    ['setDecay', [q16(n.decay)]],
    ['setProbabilityFloor', [q16(n.probabilityFloor)]],
    ['setDeltaClip', [q24(n.deltaClip)]],
    ...(r ? [['setActivationRange', [r.kMin, r.kMax, r.cMin, r.cMax].map(q24)] as [string, number[]]] : []),
    ['setPairStep', [q16(n.pairStep ?? DEFAULT_PAIR_STEP)]],
    ['setTemperature', [Math.round(65536 / (n.temperature ?? 1))]],
    ['initWeights', [n.seed]],
    // The draws continue the same stream, reseeded so that they do not depend on the layout.
    ['rngSeed', [initialDrawSeed(n.seed)]],
  ];
}
