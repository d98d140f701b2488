import { describe, expect, it } from 'vitest';
import { compareEnergy, energyPerSample, READS_PER_MUL } from '../../host/energy/energy-model.ts';
import { HOROWITZ_45NM, type EnergyTable } from '../../host/energy/energy-table.ts';
import { emptyCounters, type OpCounters } from '../../host/engine/counters.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import { defaultNetworkConfig, type Algorithm } from '../../host/engine/config.ts';
import { loadDataset } from '../../host/data/index.ts';
import { arduinoUno } from '../../boards/arduino-uno.ts';

/** Counters summed over 2 samples. */
function smallCounters(): OpCounters {
  const c = emptyCounters(1);
  c.forward = { mul: 10, add: 20, draws: 0, writes: 4 };
  c.activationGradient = { mul: 2, add: 1, draws: 6, writes: 3 };
  c.deltaPropagation = { mul: 4, add: 4, draws: 0, writes: 2 };
  c.weightUpdate = { mul: 8, add: 8, draws: 0, writes: 8 };
  return c;
}

describe('energyPerSample', () => {
  it('matches hand-computed values with the default 45 nm table (2 samples)', () => {
    // mul 3.1, add 0.1, SRAM read 5 and write 5 pJ, per draw 1 + 0.1 + 1 = 2.1 pJ; reads = 2 per mul.
    const e = energyPerSample(smallCounters(), 2);
    expect(READS_PER_MUL).toBe(2);
    // forward: (10·3.1 + 20·0.1)/2 = 16.5; reads 2·10·5/2 = 50; writes 4·5/2 = 10
    expect(e.phases.forward.compute).toBeCloseTo(16.5, 12);
    expect(e.phases.forward.memoryRead).toBeCloseTo(50, 12);
    expect(e.phases.forward.memoryWrite).toBeCloseTo(10, 12);
    expect(e.phases.forward.mtj).toBe(0);
    expect(e.phases.forward.total).toBeCloseTo(76.5, 12);
    // activation gradient: (6.2 + 0.1)/2 = 3.15; 2·2·5/2 = 10; 3·5/2 = 7.5; 6·2.1/2 = 6.3
    expect(e.phases.activationGradient).toEqual({
      compute: expect.closeTo(3.15, 12),
      memoryRead: expect.closeTo(10, 12),
      memoryWrite: expect.closeTo(7.5, 12),
      mtj: expect.closeTo(6.3, 12),
      total: expect.closeTo(26.95, 12),
    });
    // delta propagation: (12.4 + 0.4)/2 = 6.4; 20; 5 → 31.4
    expect(e.phases.deltaPropagation.total).toBeCloseTo(31.4, 12);
    // weight update: (24.8 + 0.8)/2 = 12.8; 40; 20 → 72.8
    expect(e.phases.weightUpdate.total).toBeCloseTo(72.8, 12);
    expect(e.forward).toBeCloseTo(76.5, 12);
    expect(e.backward).toBeCloseTo(131.15, 12);
    expect(e.total).toBeCloseTo(207.65, 12);
    expect(e.unit).toBe('pJ/sample');
    expect(e.table).toEqual(HOROWITZ_45NM);
  });

  it('charges the weight update\'s draws (narrow weights: stochastic rounding from the generator) as compute, not MTJ', () => {
    const c = smallCounters();
    const plain = energyPerSample(c, 2).phases.weightUpdate;
    c.weightUpdate.draws = 10;
    const e = energyPerSample(c, 2).phases.weightUpdate;
    expect(e.mtj).toBe(0);
    // 10 draws × (2 multiplies · 3.1 + 10 adds · 0.1) / 2 samples = 36 pJ
    expect(e.compute - plain.compute).toBeCloseTo(36, 12);
    expect(e.memoryRead).toBe(plain.memoryRead);
  });

  it('uses a replacement table, defaulting mtjReset to mtjWrite and sramWrite32 to sramRead32', () => {
    const table: EnergyTable = { intAdd32: 1, intMul32: 10, intMul16: 0, sramRead32: 100, flashRead32: 0, mtjWrite: 1000, mtjRead: 10000 };
    const e = energyPerSample(smallCounters(), 1, table);
    // 2·10 + 1·1 = 21; 2·2·100 = 400; 3·100 = 300; 6·(1000 + 10000 + 1000) = 72000
    expect(e.phases.activationGradient).toEqual({ compute: 21, memoryRead: 400, memoryWrite: 300, mtj: 72000, total: 72721 });
    expect(e.table.mtjReset).toBe(1000);
    expect(e.table.sramWrite32).toBe(100);
    const withReset = energyPerSample(smallCounters(), 1, { ...table, mtjReset: 0, sramWrite32: 1 });
    expect(withReset.phases.activationGradient.mtj).toBe(66000);
    expect(withReset.phases.activationGradient.memoryWrite).toBe(3);
  });

  it("accepts a board profile's energyPj", () => {
    const e = energyPerSample(smallCounters(), 2, arduinoUno.energyPj);
    expect(e.total).toBeGreaterThan(0);
    expect(e.table.mtjReset).toBe(arduinoUno.energyPj.mtjWrite);
  });

  it('rejects a bad sample count or a negative counter', () => {
    expect(() => energyPerSample(smallCounters(), 0)).toThrow(/samples: expected a positive integer/);
    const c = smallCounters();
    c.deltaPropagation.mul = -1;
    expect(() => energyPerSample(c, 1)).toThrow(/ops\.deltaPropagation\.mul/);
  });
});

describe('compareEnergy', () => {
  it('gives the backward and whole-step reductions of pgaf against bp', () => {
    // Only multiplies cost (1 pJ each): energy = multiplies per sample.
    const table: EnergyTable = { intAdd32: 0, intMul32: 1, intMul16: 0, sramRead32: 0, flashRead32: 0, mtjWrite: 0, mtjRead: 0 };
    const bp = emptyCounters(1);
    bp.forward.mul = 50;
    bp.weightUpdate.mul = 100;
    const pgaf = emptyCounters(1);
    pgaf.forward.mul = 50;
    pgaf.weightUpdate.mul = 21;
    const r = compareEnergy(energyPerSample(bp, 1, table), energyPerSample(pgaf, 1, table));
    expect(r.bpBackward).toBe(100);
    expect(r.pgafBackward).toBe(21);
    expect(r.backwardReduction).toBeCloseTo(0.79, 12);
    expect(r.totalReduction).toBeCloseTo(1 - 71 / 150, 12);
  });

  it('on real engine counters, pgaf spends less on the backward pass than bp (Iris, 4-16-3)', async () => {
    const iris = loadDataset('iris', { seed: 3 });
    const run = async (algorithm: Algorithm) => {
      const engine = new SpintrainEngine({ ...defaultNetworkConfig, layout: [4, 16, 3], algorithm, seed: 5 });
      await engine.trainEpoch(engine.loadSplit(iris.train));
      return energyPerSample(engine.counters(), iris.train.n);
    };
    const bp = await run('bp');
    const pgaf = await run('pgaf');
    expect(pgaf.phases.activationGradient.mtj).toBeGreaterThan(0);
    expect(bp.phases.activationGradient.mtj).toBe(0);
    expect(compareEnergy(bp, pgaf).backwardReduction).toBeGreaterThan(0);
    expect(bp.total).toBeCloseTo(bp.forward + bp.backward, 9);
  });
});
