/**
 * The deep module's named networks (DeepConfig.nodes for an input shape), used by `spintrain deep` and the
 * deep benchmark (test/bench/deep.ts):
 *   cnn     28×28 inputs: conv 5×5×8 → max pool 2 → conv 5×5×16 → max pool 2 → dense 64 → dense classes
 *           smaller inputs (< 16 pixels high): the same with 3×3 kernels, padding 1
 *   resnet  dense 64, then `blocks` residual blocks x → x + W₂·f(W₁x + b₁) + b₂ (a dense 64 with f, then a linear
 *           dense 64 plus the skip: the identity mapping of He et al. 2016b, which keeps the skip path free of
 *           activations and of p-GAF masks), then dense classes: 2·blocks + 2 weight layers (10 for 4 blocks)
 *   plain   the same weight layers and activations as resnet, without the skips
 */
import type { DeepNode } from './deep-config.ts';

export const DEEP_PRESETS = ['cnn', 'resnet', 'plain'] as const;
export type DeepPreset = (typeof DEEP_PRESETS)[number];

export function presetNodes(preset: DeepPreset, shape: [number, number, number], classes: number, blocks = 4): DeepNode[] {
  if (preset === 'cnn') {
    const small = shape[1] < 16;
    const conv = (channels: number): DeepNode => (small ? { kind: 'conv', channels, kernel: 3, pad: 1 } : { kind: 'conv', channels, kernel: 5 });
    return [conv(8), { kind: 'maxpool', size: 2 }, conv(16), { kind: 'maxpool', size: 2 }, { kind: 'dense', units: 64 }, { kind: 'dense', units: classes }];
  }
  const n: DeepNode[] = [{ kind: 'dense', units: 64 }];
  for (let b = 0; b < blocks; b++) {
    const input = n.length; // the block's input: node indices count from 1 (node 0 is the input)
    n.push({ kind: 'dense', units: 64 });
    n.push(preset === 'resnet' ? { kind: 'dense', units: 64, skip: input, linear: true } : { kind: 'dense', units: 64, linear: true });
  }
  n.push({ kind: 'dense', units: classes });
  return n;
}
