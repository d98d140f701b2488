/** XOR: the four points of {0, 255}², label = a XOR b, 2 classes. Train and test are the same four samples. */
import type { Dataset, Split } from './dataset.ts';

function xorSplit(): Split {
  return {
    x: Uint8Array.from([0, 0, 0, 255, 255, 0, 255, 255]),
    y: Uint8Array.from([0, 1, 1, 0]),
    n: 4,
  };
}

export function loadXor(): Dataset {
  return { name: 'xor', inputs: 2, classes: 2, classNames: ['0', '1'], train: xorSplit(), test: xorSplit() };
}
