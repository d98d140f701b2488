/** The float64 TypeScript reference (ReferenceMlp) as a benchmark trainer, batch 1. */
import { ReferenceMlp } from '../../harness/reference-mlp.ts';
import type { Algorithm } from '../../../host/engine/config.ts';
import type { Split } from '../../../host/data/index.ts';
import { benchNetworkConfig } from './bench-network.ts';
import type { BenchTrainer } from './spintrain-trainer.ts';

export function referenceTrainer(algorithm: Algorithm, data: Split): BenchTrainer & { mlp: ReferenceMlp } {
  const mlp = new ReferenceMlp(benchNetworkConfig(algorithm));
  const n0 = mlp.config.layout[0];
  let pos = 0;
  return {
    mlp,
    async run(count: number): Promise<void> {
      for (let s = 0; s < count; s++) {
        const i = pos;
        mlp.setInputU8(data.x.subarray(i * n0, (i + 1) * n0));
        mlp.trainStep(data.y[i]);
        pos = (pos + 1) % data.n;
      }
    },
  };
}
