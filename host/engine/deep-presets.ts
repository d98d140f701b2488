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

/**
 * Per-node learning rates: the output node at `out` (default: lr), the top hidden weight node at lr, and each
 * weight node below it at γ times the one above (γ = 1: every node at lr). As the dense images defaults
 * (host/commands/train-defaults.ts): under p-GAF every mask between a node and the output multiplies the noise
 * of its step (test/bench/deep-noise.ts: ×2.1, ×4.2, ×10 for 1, 2, 3 masks), so lower nodes take smaller steps.
 * Nodes that already have a rate keep it.
 */
export function withRates(nodes: DeepNode[], lr: number, out?: number, gamma = 1): DeepNode[] {
  const ns = nodes.map((n) => ({ ...n }));
  const last = ns[ns.length - 1];
  if (out !== undefined && (last.kind === 'conv' || last.kind === 'dense') && last.learningRate === undefined) last.learningRate = out;
  let r = lr;
  for (let i = ns.length - 2; i >= 0 && gamma !== 1; i--) {
    const n = ns[i];
    if (n.kind !== 'conv' && n.kind !== 'dense') continue;
    if (n.learningRate === undefined) n.learningRate = r;
    r *= gamma;
  }
  return ns;
}
