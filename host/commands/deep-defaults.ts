/**
 * `spintrain deep train` defaults, in one place: each applies only when its option is not given. Chosen for the
 * cnn preset on MNIST (test/bench/deep.ts: tanh units, bp at lr 0.02, pgaf K = 1 at lr 0.01, η/(1 + 0.3·epoch),
 * 10 epochs); the same values apply to every net and data set. The usage text is generated from them.
 */
import type { Activation, Algorithm } from '../engine/config.ts';
import type { DeepPreset } from '../engine/deep-presets.ts';

export const DEEP_DEFAULTS = {
  net: 'cnn' as DeepPreset,
  dataset: 'mnist',
  algorithm: 'pgaf' as Algorithm,
  activation: 'tanh' as Activation,
  /** Every weight node's rate, by algorithm (the output node too, unless --lr-out). */
  learningRate: { bp: 0.02, pgaf: 0.01 } as Record<Algorithm, number>,
  decay: 0.3,
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
    --activation ${DEEP_DEFAULTS.activation} --lr ${DEEP_DEFAULTS.learningRate.bp} (bp) or ${DEEP_DEFAULTS.learningRate.pgaf} (pgaf) on every weight node --decay ${DEEP_DEFAULTS.decay}
    --epochs ${DEEP_DEFAULTS.epochs} --seed ${DEEP_DEFAULTS.seed}; --input-shape ${Object.entries(IMAGE_SHAPES).map(([k, s]) => `${s.join('x')} for ${k}`).join(', ')}, 1x1xF for any other data of F features`;
