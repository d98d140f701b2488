// Smoke test of test/bench/narrow-weights.ts's pieces (issue 16): the budgets' layouts come from each module's
// own plan, 2 (1) bytes per weight fit about twice (four times) the hidden units, and the tables render.
import { describe, expect, it } from 'vitest';
import { budgets, largestHidden, linearBytes, narrowMarkdown, type NarrowReport } from '../bench/lib/narrow-budget.ts';

describe('narrow-weights benchmark (smoke)', () => {
  it('finds the largest 784-H-10 per budget and width from the modules\' plans', () => {
    const nrf = budgets().find((b) => b.id === 'nrf52840-nano33ble')!;
    expect(nrf.bytes).toBe(49_152);
    const h = { 32: largestHidden(32, nrf.bytes), 16: largestHidden(16, nrf.bytes), 8: largestHidden(8, nrf.bytes) };
    for (const bits of [32, 16, 8] as const) {
      expect(linearBytes(bits, h[bits]).linearBytes).toBeLessThanOrEqual(nrf.bytes);
      expect(linearBytes(bits, h[bits] + 1).linearBytes).toBeGreaterThan(nrf.bytes);
    }
    expect(h[16]).toBeGreaterThanOrEqual(2 * h[32]);
    expect(h[8]).toBeGreaterThanOrEqual(2 * h[16]);
  });

  it('renders a report as two tables', () => {
    const run = { caseId: 'mnist 128 KiB', bits: 16 as const, seed: 1, layout: [784, 69, 10], args: [], testAccuracy: 0.97, planBytes: 1, linearBytes: 2, trainSeconds: 1, roundingDrawsPerSample: 3 };
    const r: NarrowReport = {
      date: '', commit: '', machine: { cpu: '', cores: 1, node: '', platform: '', loadAverage1m: 0 }, wallSeconds: 0,
      budgets: [{ id: '128 KiB', bytes: 131072, hidden: { 32: 35, 16: 69, 8: 137 } }],
      runs: [run, { ...run, caseId: 'held out: wine', layout: [13, 16, 3] }],
    };
    const md = narrowMarkdown(r);
    expect(md).toContain('| 128 KiB (131,072 B) | 16 | 784-69-10 | 2 | 97.00 | 97.00 |');
    expect(md).toContain('| held out: wine | 16 | 13-16-3 | 1 | 97.00 | 97.00 |');
  });
});
