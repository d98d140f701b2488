// Smoke test: the accuracy benchmark runs in quick mode and its README section is generated from it.
import { describe, it, expect } from 'vitest';
import { runAccuracyBench } from '../bench/accuracy.ts';
import { resultsMarkdown, replaceResults, targetsOf } from '../bench/results-markdown.ts';
import { machineInfo } from '../bench/lib/machine.ts';

describe('accuracy benchmark, --quick', () => {
  it('runs bp, pgaf, tanh, ReLU and the float reference, and renders every table from the run', async () => {
    const accuracy = await runAccuracyBench({ quick: true, trainLimit: 1000, log: () => {} });
    const algos = new Set(accuracy.runs.map((r) => r.algorithm));
    expect([...algos].sort()).toEqual(['bp', 'float-bp', 'float-pgaf', 'pgaf']);
    for (const r of accuracy.runs) {
      // one pass over 1,000 samples: every run is above chance (10%), bp with sigmoid far above it
      expect(r.testAccuracy).toBeGreaterThan(r.algorithm === 'bp' && r.activation === 'sigmoid' ? 0.6 : 0.15);
      expect(r.backwardOpsPerSample).toBeGreaterThan(0);
    }
    const pgaf = accuracy.runs.find((r) => r.algorithm === 'pgaf' && r.activation === 'sigmoid')!;
    const bp = accuracy.runs.find((r) => r.algorithm === 'bp' && r.activation === 'sigmoid' && r.layout.join() === pgaf.layout.join())!;
    expect(bp.backwardOpsPerSample / pgaf.backwardOpsPerSample).toBeGreaterThan(3);
    const run = { date: new Date().toISOString(), command: 'test', commit: 'none', machine: machineInfo(), accuracy, seconds: 1 };
    const md = resultsMarkdown(run);
    expect(md).toContain(`| ${pgaf.layout.join('-')} |`);
    expect(md).toContain('**Targets**');
    expect(targetsOf(run).length).toBeGreaterThanOrEqual(4);
    const readme = 'a\n<!-- results:begin -->\nold\n<!-- results:end -->\nb';
    expect(replaceResults(readme, md)).toBe(`a\n<!-- results:begin -->\n${md}\n<!-- results:end -->\nb`);
  }, 120_000);
});
