import { describe, expect, it } from 'vitest';
import { runSpeedBench } from '../bench/speed.ts';

describe('speed benchmark (smoke)', () => {
  it('runs in quick mode and returns finite positive rates for every trainer', async () => {
    const r = await runSpeedBench({ quick: true });
    expect(r.rows.map((row) => row.id).sort()).toEqual(['reference-bp', 'reference-pgaf', 'spintrain-bp', 'spintrain-pgaf', 'tfjs-b1', 'tfjs-b32']);
    for (const row of r.rows) {
      expect(Number.isFinite(row.rate) && row.rate > 0, row.id).toBe(true);
      expect(Number.isFinite(r.pgafSpeedup[row.id]) && r.pgafSpeedup[row.id] > 0, row.id).toBe(true);
    }
    expect(r.targets).toHaveLength(3);
    expect(r.rows.find((row) => row.id === 'spintrain-pgaf')!.macsPerSample).toBeGreaterThan(0);
  });
});
