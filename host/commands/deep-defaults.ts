/**
 * `spintrain deep train` defaults, in one place: each applies only when its option is not given. Chosen for the
 * cnn preset on MNIST on a validation split (the last 10k training images; test/bench/deep.ts): tanh units,
 * η/(1 + 0.3·epoch), 10 epochs; bp at lr 0.02 on every node; pgaf K = 1 at 0.005 on the top hidden node, ×0.5 per
 * node below, 0.02 on the output (at one rate on every node, 0.01 and above, pgaf collapsed: its units saturated).
 * The default algorithm is bp: in these nets pgaf trails it (README, "Results: deep networks").
 * The sparse-backprop baselines (topk, random, adaptive; host/engine/deep-config.ts) train at bp's rates: each
 * is bp with some hidden units' gradients left out (random rescales the kept ones by 1/p, so its expected step is
 * bp's). topk's kept fraction and random's keep probability have no default (--keep is required: the point of a
 * baseline is the fraction it is run at). adaptive's knob defaults to the values of TinyProp's authors' MNIST
 * example (github.com/r1marcus/TinyProp at commit 02244126, examples/2_MNIST_on_PC/4_MNIST_new_meProp/main.c:
 * MIN_BPR 0.1, MAX_BPR 0.9, DAMPING 0.5), the implementation whose rule assembly/select.ts follows.
 * The same values apply to every net and data set. The usage text is generated from them.
 */
import type { Activation } from '../engine/config.ts';
import type { AdaptiveSparsity, DeepAlgorithm } from '../engine/deep-config.ts';
import type { DeepPreset } from '../engine/deep-presets.ts';

export const DEEP_DEFAULTS = {
  net: 'cnn' as DeepPreset,
  dataset: 'mnist',
  algorithm: 'bp' as DeepAlgorithm,
  activation: 'tanh' as Activation,
  /** Every weight node's rate, by algorithm (the output node too, unless --lr-out). */
  learningRate: { bp: 0.02, pgaf: 0.005, topk: 0.02, random: 0.02, adaptive: 0.02 } as Record<DeepAlgorithm, number>,
  /** The output node's own rate, as a multiple of --lr, when --lr-out is not given. */
  learningRateOutFactor: { bp: 1, pgaf: 4, topk: 1, random: 1, adaptive: 1 } as Record<DeepAlgorithm, number>,
  /** --lr-gamma: each weight node below the top hidden one at γ times the rate above it. */
  lrGamma: { bp: 1, pgaf: 0.5, topk: 1, random: 1, adaptive: 1 } as Record<DeepAlgorithm, number>,
  /**
   * adaptive (TinyProp) per hidden node and step: ratio = (S_min + (Y/Y_max)·(S_max − S_min))·ζ^λ, k = ⌊n·ratio⌋
   * (assembly/select.ts): --keep-min S_min, --keep-max S_max, --damping ζ (dimensionless fractions).
   */
  adaptive: { minRatio: 0.1, maxRatio: 0.9, damping: 0.5 } as AdaptiveSparsity,
  decay: 0.3,
  /** --shift: random training-image shifts [pixels]; none unless asked. */
  shift: 0,
  epochs: 10,
  seed: 1,
};

/** The built-in data sets that are images, and their shape [C, H, W]; any other data is 1×1×features unless --input-shape. */
export const IMAGE_SHAPES: Readonly<Record<string, [number, number, number]>> = { mnist: [1, 28, 28] };

/** The input shape of a data set when --input-shape is not given. */
export function defaultInputShape(spec: string, features: number): [number, number, number] {
  const known = Object.hasOwn(IMAGE_SHAPES, spec.trim().toLowerCase()) ? IMAGE_SHAPES[spec.trim().toLowerCase()] : undefined;
  return known && known[0] * known[1] * known[2] === features ? [...known] : [1, 1, features];
}

/** The --help lines. */
export const DEEP_DEFAULTS_USAGE = `  Defaults (any option given overrides its default): --net ${DEEP_DEFAULTS.net} --dataset ${DEEP_DEFAULTS.dataset} --algorithm ${DEEP_DEFAULTS.algorithm}
    --activation ${DEEP_DEFAULTS.activation} --decay ${DEEP_DEFAULTS.decay} --shift ${DEEP_DEFAULTS.shift}; bp: --lr ${DEEP_DEFAULTS.learningRate.bp} on every weight node; pgaf: --lr ${DEEP_DEFAULTS.learningRate.pgaf}
    --lr-out ${DEEP_DEFAULTS.learningRateOutFactor.pgaf}×lr --lr-gamma ${DEEP_DEFAULTS.lrGamma.pgaf}; topk, random, adaptive: as bp; adaptive: --keep-min ${DEEP_DEFAULTS.adaptive.minRatio}
    --keep-max ${DEEP_DEFAULTS.adaptive.maxRatio} --damping ${DEEP_DEFAULTS.adaptive.damping} (TinyProp's authors' MNIST example); topk and random: --keep has no default
    --epochs ${DEEP_DEFAULTS.epochs} --seed ${DEEP_DEFAULTS.seed}; --input-shape ${Object.entries(IMAGE_SHAPES).map(([k, s]) => `${s.join('x')} for ${k}`).join(', ')}, 1x1xF for any other data of F features`;
