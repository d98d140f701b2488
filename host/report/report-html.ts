/**
 * One self-contained HTML page per run (inline CSS and SVG, no external URLs): a one-sentence summary
 * (run-summary.ts), configuration, accuracy per epoch with the bp baseline, the learning curve,
 * kept-gradient fraction, operations and estimated energy per phase (bp vs pgaf, priced with the table
 * report-energy-table.ts picks and names), the calibration curves when a device was calibrated, and the
 * measured power trace with the model's error when the run was measured. Every panel holds a chart or a
 * table; a panel whose data is absent says why in a table row rather than showing an empty chart.
 */
import { renderCalibrationPlots } from './calibration-plots.ts';
import { PHASES, type OpCounters, type Phase } from '../engine/counters.ts';
import { energyPerSample, type EnergyBreakdown } from '../energy/energy-model.ts';
import { compareWithMeasurement } from '../power/energy-estimate.ts';
import { renderPowerPlot } from '../power/power-plot.ts';
import { reportEnergyTable, runHost } from './report-energy-table.ts';
import { groupedBars, lineChart, type BarValue, type SeriesPoint } from './report-plots.ts';
import type { RunDir, RunRecord } from './run-dir.ts';
import { list, num, pct, text } from './page-text.ts';
import { runSummarySentence } from './run-summary.ts';

const PHASE_LABEL: Record<Phase, string> = { forward: 'forward', activationGradient: 'activation gradient', deltaPropagation: 'δ propagation', weightUpdate: 'weight update' };

export async function buildReportHtml(r: RunDir): Promise<string> {
  const run = r.run;
  const energyTable = reportEnergyTable(runHost(run, r.power));
  const panels: string[] = [];
  const c = run.config;
  panels.push(
    panel('Configuration', table(['field', 'value'], [
      ['dataset', text(c.dataset)],
      ['layout', list(c.layout, '-')],
      ['activation / output', `${text(c.activation)} / ${text(c.output)}`],
      ['algorithm', text(c.algorithm) + (c.algorithm === 'pgaf' && c.pairs > 1 ? ` (K = ${text(c.pairs)} pairs)` : '')],
      ['learning rate', Array.isArray(c.learningRate) ? list(c.learningRate, ', ') : text(c.learningRate)],
      ['decay / momentum', `${text(c.decay)} / ${text(c.momentum)}`],
      ['p floor / δ clip', `${text(c.probabilityFloor)} / ${text(c.deltaClip)}`],
      ['seed', text(c.seed)],
      ['draws from', c.device === undefined ? 'prng' : text(c.device)],
      ['board', energyTable.board],
      ['energy table', energyTable.label],
      ['epochs / samples', `${text(run.epochs)} / ${text(run.samples)}`],
      ['test accuracy', pct(run.testAccuracy)],
      ['train accuracy', pct(run.trainAccuracy)],
      ['backward multiplies+adds per sample', num(run.backwardOpsPerSample, 0)],
      ...(run.baseline ? [['bp baseline test accuracy', pct(run.baseline.testAccuracy)], ['backward ops, bp ÷ this run', `${num(run.backwardOpsRatio ?? NaN, 2)}×`]] : []),
    ])),
  );
  // Accuracy per epoch, with the bp baseline's test accuracy (dashed) when one was trained.
  const acc: SeriesPoint[] = run.perEpoch.flatMap((e) => [
    { x: e.epoch + 1, y: e.trainAccuracy, series: 'train' },
    { x: e.epoch + 1, y: e.testAccuracy, series: 'test' },
  ]);
  const base = acc.length ? baselineSeries(run) : [];
  panels.push(
    panel(
      'Accuracy per epoch',
      acc.length ? await lineChart('Accuracy per epoch', 'epoch', 'accuracy', [...acc, ...base], { dashed: [...new Set(base.map((p) => p.series))] }) : note('no epoch was trained'),
    ),
  );
  // Training loss per epoch (run.json since issue 13): the module's sum over the epoch's steps, each before its update.
  const loss: SeriesPoint[] = run.perEpoch.flatMap((e) => (e.trainLoss === undefined ? [] : [{ x: e.epoch + 1, y: e.trainLoss, series: 'train' }]));
  if (loss.length) {
    const what = c.output === 'softmax' ? 'cross-entropy [nats]' : '½ Σ (a − y)²';
    panels.push(panel('Training loss per epoch', await lineChart('Mean training loss per epoch (each sample before its update)', 'epoch', what, loss, { percent: false, format: '.3~f' })));
  }
  // Learning curve.
  const curve = run.curve.map((p) => ({ x: p.samples, y: p.testAccuracy, series: 'test accuracy' }));
  panels.push(
    panel('Learning curve', curve.length >= 2 ? await lineChart('Test accuracy during the first epoch(s)', 'training samples', 'accuracy', curve) : note('not recorded for this run (spintrain train --report records it during the first epoch)')),
  );
  // Kept fraction.
  const kept: SeriesPoint[] = run.perEpoch.flatMap((e) => e.keptFraction.map((k, h) => ({ x: e.epoch + 1, y: k, series: `hidden layer ${h + 1}` })));
  panels.push(
    panel(
      'Kept-gradient fraction',
      c.algorithm === 'pgaf' && kept.length
        ? (await lineChart('Fraction of hidden gradients kept (pair = (1,0))', 'epoch', 'kept', kept)) + keptTable(run)
        : note(c.algorithm === 'bp' ? 'exact bp keeps every hidden gradient (no sampling)' : 'no hidden layer'),
    ),
  );
  // Operations and estimated energy per phase, bp vs pgaf.
  const algos: { name: string; ops: OpCounters; samples: number }[] = [{ name: c.algorithm, ops: run.ops, samples: run.samples }];
  if (run.compare) algos.push({ name: run.compare.algorithm, ops: run.compare.ops, samples: run.compare.samples });
  algos.sort((a, b) => a.name.localeCompare(b.name));
  const opsBars: BarValue[] = algos.flatMap((a) => PHASES.map((p) => ({ group: PHASE_LABEL[p], series: a.name, value: (a.ops[p].mul + a.ops[p].add) / a.samples })));
  panels.push(
    panel(
      'Operations per phase',
      (await groupedBars('Multiplies + adds per training sample (log scale)', 'operations / sample', opsBars, true)) +
        table(['phase', ...algos.map((a) => `${a.name} mul`), ...algos.map((a) => `${a.name} add`)], PHASES.map((p) => [PHASE_LABEL[p], ...algos.map((a) => num(a.ops[p].mul / a.samples, 1)), ...algos.map((a) => num(a.ops[p].add / a.samples, 1))])),
    ),
  );
  const energies = algos.map((a) => ({ name: a.name, e: energyPerSample(a.ops, a.samples, energyTable.table) }));
  const eBars: BarValue[] = energies.flatMap((a) => PHASES.map((p) => ({ group: PHASE_LABEL[p], series: a.name, value: a.e.phases[p].total })));
  const reduction = energies.length === 2 ? energyReduction(energies) : '';
  panels.push(
    panel(
      'Estimated energy per phase',
      (await groupedBars(`Estimated energy per training sample [pJ] (${energyTable.short}, log scale)`, 'pJ / sample', eBars, true)) +
        table(['phase', ...energies.map((a) => `${a.name} [pJ/sample]`)], [
          ...PHASES.map((p) => [PHASE_LABEL[p], ...energies.map((a) => num(a.e.phases[p].total, 1))]),
          ['backward (all but forward)', ...energies.map((a) => num(a.e.backward, 1))],
          ['total', ...energies.map((a) => num(a.e.total, 1))],
        ]) + reduction,
    ),
  );
  // Measured power.
  if (r.power && r.trace) {
    const p = r.power;
    const m = p.measured;
    const est = energies.find((a) => a.name === c.algorithm)!.e;
    const cmp = compareWithMeasurement(est, m);
    const svg = await renderPowerPlot(r.trace, p.markers);
    const rows = (['forward', 'backward', 'total'] as const).map((k) => {
      const x = cmp[k];
      return [k === 'backward' ? 'backward + update' : k, `${num(x.measuredJ * 1e6, 3)} µJ`, x.measuredAboveIdleJ === null ? '–' : `${num(x.measuredAboveIdleJ * 1e6, 3)} µJ`, `${num(x.estimatedJ * 1e6, 6)} µJ`, `${num(100 * x.error, 1)} %`];
    });
    panels.push(
      panel(
        'Measured power',
        svg +
          table(['quantity', 'value'], [
            ['sensor', `${p.sensor.kind.toUpperCase()} at 0x${p.sensor.address.toString(16)} on ${text(p.port)}, shunt ${text(p.sensor.shuntOhm)} Ω`],
            ['readings', `${r.trace.length}, every ${p.sensor.samplingMs} ms, averaged over ${num(p.sensor.conversionS * 1e3, 2)} ms`],
            ['marker pin', `D${p.markerPin} (LOW forward, HIGH backward + update)`],
            ['training samples measured', String(m.samples)],
            ['average power while training', `${num(m.averagePowerW * 1e3, 2)} mW`],
            ['idle power (before the sync pulse)', m.idlePowerW === null ? 'no idle window' : `${num(m.idlePowerW * 1e3, 2)} mW`],
            ['mean power forward / backward', `${num(m.phases.forward.meanPowerW * 1e3, 2)} / ${num(m.phases.backward.meanPowerW * 1e3, 2)} mW${m.separable ? '' : ' (phases too short to separate: training mean)'}`],
            ['energy per training sample', `${num(m.perSampleJ * 1e6, 3)} µJ`],
          ]) +
          table(['phase (per sample)', 'measured', 'measured above idle', 'model estimate', `model error vs ${cmp.basis}`], rows),
      ),
    );
  }
  if (r.calibration) {
    const svg = await renderCalibrationPlots(r.calibration);
    panels.push(
      panel(
        'MTJ calibration',
        svg.pHigh +
          svg.pPair +
          table(['device', 'I50 [µA]', 'k [1/mA]', 'max |p̂ − σ|', 'max |P̂(1,0) − σ′|'], r.calibration.devices.map((d) => [String(d.device), num(d.i50A * 1e6, 2), num(d.kPerA / 1e3, 2), num(d.maxAbsError, 3), num(d.pairMaxAbsError, 3)])),
      ),
    );
  }
  const summary = runSummarySentence(run, energies.find((a) => a.name === c.algorithm)!.e.total, energyTable.short);
  const title = `spintrain run — ${text(c.dataset)} ${list(c.layout, '-')} ${text(c.algorithm)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;background:#fafafa;color:#222}
h1{font-size:20px;margin:0 0 4px}.sub{color:#666;margin-bottom:16px}
.grid{display:flex;flex-wrap:wrap;gap:16px}
.panel{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px;max-width:760px}
.panel h2{font-size:15px;margin:0 0 8px}
.summary{font-size:15px;margin:0 0 16px;max-width:1000px}
table{border-collapse:collapse;margin-top:8px;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}th{background:#f0f0f0}
svg{display:block;max-width:100%;height:auto}
</style></head>
<body><h1>${esc(title)}</h1><div class="sub">created ${esc(text(run.createdAt))} · spintrain report</div>
<p class="summary" data-summary>${esc(summary)}</p>
<div class="grid">
${panels.join('\n')}
</div></body></html>
`;
}

/**
 * The bp baseline's test accuracy as a series of the accuracy chart: per epoch when run.json has it
 * ("bp baseline (test)"), else its final test accuracy as a flat line over the run's epochs
 * ("bp baseline (final test)"); none without a bp baseline.
 */
function baselineSeries(run: RunRecord): SeriesPoint[] {
  const cmp = run.compare?.algorithm === 'bp' ? run.compare : undefined;
  if (cmp?.perEpoch?.length) return cmp.perEpoch.map((e) => ({ x: e.epoch + 1, y: e.testAccuracy, series: 'bp baseline (test)' }));
  const final = run.baseline?.testAccuracy ?? cmp?.testAccuracy;
  if (final === undefined || run.perEpoch.length === 0) return [];
  const xs = run.perEpoch.map((e) => e.epoch + 1);
  return [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, y: final, series: 'bp baseline (final test)' }));
}

function energyReduction(e: { name: string; e: EnergyBreakdown }[]): string {
  const bp = e.find((a) => a.name === 'bp')?.e;
  const pg = e.find((a) => a.name === 'pgaf')?.e;
  if (!bp || !pg || !(bp.backward > 0)) return '';
  return table(['pgaf vs bp', 'reduction'], [
    ['backward energy', pct(1 - pg.backward / bp.backward, 1)],
    ['whole training step', pct(1 - pg.total / bp.total, 1)],
  ]);
}

function panel(title: string, body: string): string {
  return `<section class="panel" data-panel="${esc(title)}"><h2>${esc(title)}</h2>${body}</section>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function note(text: string): string {
  return table(['note'], [[text]]);
}

function esc(s: string): string {
  return String(s).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

/** Kept fraction over the run per hidden layer and, with the kept-fraction control, its steps, input gain and final rate factor. */
function keptTable(run: RunRecord): string {
  const c = run.keptControl;
  if (!c) return table(['hidden layer', 'kept over the run'], run.keptFraction.map((k, h) => [String(h + 1), pct(k, 2)]));
  const steps = (h: number): number => c.stepsPerEpoch.reduce((n, e) => n + e[h], 0);
  return table(
    ['hidden layer', 'kept over the run', `control steps (floor ${pct(c.floor, 1)})`, 'input gain', 'rate factor at the end'],
    run.keptFraction.map((k, h) => [String(h + 1), pct(k, 2), String(steps(h)), c.gain[h].toPrecision(3), c.rate[h].toPrecision(3)]),
  );
}
