/**
 * The report's content after issue 13: distinct tick labels on the percent axes (percent-axis.ts), the bp
 * baseline in the accuracy chart, the one-sentence summary at the top, and an energy-table label that
 * is true for every kind of run (report-energy-table.ts). Asserts on the HTML and its inline SVG.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { HOROWITZ_45NM } from '../../host/energy/energy-table.ts';
import { percentAxis } from '../../host/report/percent-axis.ts';
import { buildReportHtml } from '../../host/report/report-html.ts';
import { reportEnergyTable, runHost } from '../../host/report/report-energy-table.ts';
import { lineChart } from '../../host/report/report-plots.ts';
import { readRunDir, type RunDir, type RunRecord } from '../../host/report/run-dir.ts';
import { validateRunRecord } from '../../host/report/run-record-schema.ts';
import { energyText } from '../../host/report/run-summary.ts';
import { RunDirError } from '../../host/power/errors.ts';
import { writeValidRunDir } from '../fuzz/run-dir-fixture.ts';

let root = '';
/** A pgaf XOR run with a bp baseline, a calibration and a power measurement (the fuzz fixture). */
let full: RunDir;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'spintrain-report-content-'));
  await writeValidRunDir(join(root, 'run'));
  full = readRunDir(join(root, 'run'));
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The run without its power measurement and calibration (a PC run), with `edit` applied to a copy of run.json. */
function pcRun(edit: (r: RunRecord) => void = () => undefined): RunDir {
  const run = structuredClone(full.run);
  edit(run);
  return { dir: full.dir, run };
}

/** The text of the tick labels of the axis whose aria-label starts with `axis` ("Y-axis titled 'accuracy'"). */
function tickLabels(svg: string, axis: string): string[] {
  const at = svg.indexOf(`aria-label="${axis}`);
  expect(at, `axis ${axis}`).toBeGreaterThanOrEqual(0);
  const group = svg.slice(at, svg.indexOf('role-axis-domain', at));
  const labels = group.slice(group.indexOf('role-axis-label'));
  return [...labels.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** The inline SVG of the panel titled `title`. */
function panelSvg(html: string, title: string): string {
  const at = html.indexOf(`data-panel="${title}"`);
  expect(at, `panel ${title}`).toBeGreaterThanOrEqual(0);
  return html.slice(html.indexOf('<svg', at), html.indexOf('</svg>', at) + 6);
}

/** The configuration table's value of `field`. */
function configRow(html: string, field: string): string {
  const m = new RegExp(`<td>${field}</td><td>([^<]*)</td>`).exec(html);
  expect(m, `row ${field}`).not.toBeNull();
  return m![1];
}

describe('percent axis (issue 13, item 1)', () => {
  const label = (v: number, format: string) => `${(100 * v).toFixed(Number(/^\.(\d+)%$/.exec(format)![1]))}%`;

  it('88–90 %: ticks half a percent apart, one decimal, every label distinct', () => {
    const a = percentAxis([0.8812, 0.8875, 0.8931, 0.8987, 0.9012]);
    expect(a.format).toBe('.1%');
    expect(a.values.map((v) => label(v, a.format))).toEqual(['88.0%', '88.5%', '89.0%', '89.5%', '90.0%', '90.5%']);
    expect(a.domain).toEqual([0.88, 0.905]);
  });

  it('for spans from 0.01 % to 100 % and any offset: distinct labels, data inside the domain, domain inside [0, 1]', () => {
    for (const span of [0.0001, 0.0007, 0.003, 0.01, 0.023, 0.05, 0.17, 0.4, 0.93, 1]) {
      for (const at of [0, 0.1234, 0.5, 0.97, 1]) {
        const lo = Math.min(at, 1 - span);
        const ys = [lo, lo + span / 3, lo + span];
        const a = percentAxis(ys);
        const labels = a.values.map((v) => label(v, a.format));
        expect(new Set(labels).size, `${labels}`).toBe(labels.length);
        expect(a.values.length).toBeGreaterThanOrEqual(2);
        expect(a.values.length).toBeLessThanOrEqual(6);
        expect(a.domain[0]).toBeLessThanOrEqual(Math.min(...ys) + 1e-12);
        expect(a.domain[1]).toBeGreaterThanOrEqual(Math.max(...ys) - 1e-12);
        expect(a.domain[0]).toBeGreaterThanOrEqual(0);
        expect(a.domain[1]).toBeLessThanOrEqual(1);
      }
    }
  });

  it('a flat line or a single point gets a 1 % window inside [0, 1]', () => {
    expect(percentAxis([0.5]).domain).toEqual([0.495, 0.505]);
    expect(percentAxis([1, 1]).domain).toEqual([0.99, 1]);
    expect(percentAxis([0]).domain).toEqual([0, 0.01]);
  });

  it('the rendered chart shows the distinct labels (88–90 %, as in the issue)', async () => {
    const values = [0.8812, 0.8875, 0.8931, 0.8987, 0.9012].map((y, i) => ({ x: i + 1, y, series: 'test' }));
    const svg = await lineChart('Accuracy per epoch', 'epoch', 'accuracy', values);
    const labels = tickLabels(svg, "Y-axis titled 'accuracy'");
    expect(labels).toEqual(['88.0%', '88.5%', '89.0%', '89.5%', '90.0%', '90.5%']);
  });

  it('every percent chart of a report has distinct y labels', async () => {
    const html = await buildReportHtml(full);
    for (const [title, axis] of [['Accuracy per epoch', 'accuracy'], ['Kept-gradient fraction', 'kept']]) {
      const labels = tickLabels(panelSvg(html, title), `Y-axis titled '${axis}'`);
      expect(new Set(labels).size, `${title}: ${labels}`).toBe(labels.length);
    }
  });
});

describe('the training loss per epoch', () => {
  it('is drawn from run.json\'s perEpoch[].trainLoss with labels in nats, and left out for a record without it', async () => {
    const r = pcRun((run) => run.perEpoch.forEach((e, i) => (e.trainLoss = 0.9 / (i + 1))));
    const svg = panelSvg(await buildReportHtml(r), 'Training loss per epoch');
    const labels = tickLabels(svg, "Y-axis titled 'cross-entropy [nats]'");
    expect(labels.length).toBeGreaterThan(2);
    for (const l of labels) expect(l).toMatch(/^\d+(\.\d{1,3})?$/); // plain decimals, not SI prefixes such as 450m
    const old = pcRun((run) => run.perEpoch.forEach((e) => delete e.trainLoss));
    expect(await buildReportHtml(old)).not.toContain('Training loss per epoch');
  });
});

describe('bp baseline in the accuracy chart (item 2)', () => {
  it('run.json keeps the baseline test accuracy per epoch, and the chart draws it dashed as "bp baseline (test)"', async () => {
    expect(full.run.compare?.perEpoch?.map((e) => e.epoch)).toEqual([0, 1]);
    const svg = panelSvg(await buildReportHtml(full), 'Accuracy per epoch');
    expect(svg).toContain('>bp baseline (test)</text>');
    expect(svg).toMatch(/stroke-dasharray="6,3"/);
  });

  it('an older run.json (no per-epoch baseline) draws the final baseline accuracy as a flat line', async () => {
    const r = pcRun((run) => {
      delete run.compare!.perEpoch;
      run.baseline!.testAccuracy = 0.75;
    });
    const svg = panelSvg(await buildReportHtml(r), 'Accuracy per epoch');
    expect(svg).toContain('>bp baseline (final test)</text>');
  });

  it('a bp run has no baseline series', async () => {
    const r = pcRun((run) => {
      delete run.compare;
      delete run.baseline;
      delete run.backwardOpsRatio;
    });
    expect(panelSvg(await buildReportHtml(r), 'Accuracy per epoch')).not.toContain('bp baseline');
  });

  it('a malformed compare.perEpoch is refused naming the field', () => {
    const raw = structuredClone(full.run) as unknown as { compare: { perEpoch: unknown[] } };
    raw.compare.perEpoch = [{ epoch: 0, testAccuracy: 1.5 }];
    expect(() => validateRunRecord(raw, 'run.json')).toThrow(RunDirError);
    expect(() => validateRunRecord(raw, 'run.json')).toThrow(/compare\.perEpoch\[0\]\.testAccuracy/);
  });
});

describe('summary sentence (item 3)', () => {
  it('states test accuracy, savings against bp and the estimated energy per sample', async () => {
    const r = pcRun();
    const html = await buildReportHtml(r);
    const m = /<p class="summary" data-summary>([^<]*)<\/p>/.exec(html);
    expect(m).not.toBeNull();
    const s = m![1];
    const run = r.run;
    expect(s).toContain(`This pgaf run (xor ${run.config.layout.join('-')}, ${run.epochs} epochs) reached ${(100 * run.testAccuracy).toFixed(2)} % test accuracy`);
    expect(s).toContain(`used ${run.backwardOpsRatio!.toFixed(2)}× fewer backward multiplies+adds per sample than the bp baseline (${(100 * run.baseline!.testAccuracy).toFixed(2)} % test accuracy)`);
    // The same estimate as the energy panel's "total" row for this algorithm.
    const total = Number(/<td>total<\/td><td>[\d.]+<\/td><td>([\d.]+)<\/td>/.exec(html)![1]);
    expect(s).toContain(`needs an estimated ${energyText(total)} per training sample (45 nm default table).`);
    // Before every panel.
    expect(html.indexOf('data-summary')).toBeLessThan(html.indexOf('class="panel"'));
  });

  it('without a baseline it leaves the savings out', async () => {
    const html = await buildReportHtml(pcRun((run) => void (delete run.baseline, delete run.backwardOpsRatio)));
    expect(html).toMatch(/test accuracy and needs an estimated [\d.]+ [pnµm]?J per training sample/);
    expect(html).not.toMatch(/data-summary>[^<]*bp baseline/);
  });

  it('energies read with an SI prefix and 3 significant digits', () => {
    expect(energyText(0.5)).toBe('0.50 pJ');
    expect(energyText(968.2)).toBe('968 pJ');
    expect(energyText(3660.7)).toBe('3.66 nJ');
    expect(energyText(45_600_000)).toBe('45.6 µJ');
    expect(energyText(NaN)).toBe('–');
  });
});

describe('energy table label (item 4)', () => {
  it('a PC run with prng draws: the 45 nm default table, no board', async () => {
    const html = await buildReportHtml(pcRun((run) => void (run.config.device = 'prng')));
    expect(configRow(html, 'board')).toBe('none (trained on the PC)');
    expect(configRow(html, 'energy table')).toBe('45 nm CMOS (Horowitz, ISSCC 2014) with SOT-MTJ estimates — the default: the run used no board');
    expect(html).not.toContain('Arduino Uno');
    expect(html).toContain('Estimated energy per training sample [pJ] (45 nm default table, log scale)');
  });

  it('a run on the simulated MTJ array: the same default table, no board', async () => {
    const html = await buildReportHtml(pcRun((run) => void (run.config.device = 'sim')));
    expect(configRow(html, 'board')).toBe('none (trained on the PC)');
    expect(configRow(html, 'energy table')).toMatch(/^45 nm CMOS .* the default: the run used no board$/);
  });

  it('a run on a board port: that board profile’s table, named with the port', async () => {
    const html = await buildReportHtml(pcRun((run) => void (run.config.device = '/dev/ttyACM0')));
    expect(configRow(html, 'board')).toBe(`${arduinoUno.name} on /dev/ttyACM0`);
    expect(configRow(html, 'energy table')).toBe(`${arduinoUno.name} profile’s table (= 45 nm CMOS (Horowitz, ISSCC 2014) with SOT-MTJ estimates)`);
    expect(html).toContain('(arduino-uno table, log scale)');
  });

  it('a power measurement is a board run even though its draws came from the prng', async () => {
    expect(full.power).toBeDefined();
    const html = await buildReportHtml(full);
    expect(configRow(html, 'board')).toBe(`${arduinoUno.name} on ${full.power!.port}`);
  });

  it('a measured run is on the board power.json names: one without a profile is said so, never labelled as run.json\'s board', async () => {
    expect(full.run.boardId).toBe('arduino-uno');
    const html = await buildReportHtml({ ...full, power: { ...full.power!, boardId: 'mystery-board' } });
    expect(configRow(html, 'board')).toBe(`&quot;mystery-board&quot; on ${full.power!.port}`);
    expect(configRow(html, 'energy table')).toBe('45 nm CMOS (Horowitz, ISSCC 2014) with SOT-MTJ estimates — the default: board &quot;mystery-board&quot; has no known profile');
    expect(html).not.toContain(arduinoUno.name);
    expect(html).toContain('(45 nm default table, log scale)');
  });

  it('a board id without a profile is priced with the default table, and says so', () => {
    const t = reportEnergyTable(runHost({ ...full.run, boardId: 'mystery-board', config: { ...full.run.config, device: '/dev/ttyUSB3' } }));
    expect(t.table).toBe(HOROWITZ_45NM);
    expect(t.label).toBe('45 nm CMOS (Horowitz, ISSCC 2014) with SOT-MTJ estimates — the default: board "mystery-board" has no known profile');
  });

  it('a board whose table differs from the default is not called the 45 nm table', () => {
    const host = { kind: 'board' as const, port: '/dev/x', boardId: 'other', board: { ...arduinoUno, id: 'other', name: 'Other board', energyPj: { ...arduinoUno.energyPj, intMul32: 1 } } };
    const t = reportEnergyTable(host);
    expect(t.label).toBe('Other board profile’s table');
    expect(t.table.intMul32).toBe(1);
  });

  it('prices every case with the table it names: default and Uno tables give the same numbers today', async () => {
    const pc = await buildReportHtml(pcRun((run) => void (run.config.device = 'prng')));
    const port = await buildReportHtml(pcRun((run) => void (run.config.device = '/dev/ttyACM0')));
    const totals = (html: string) => /<td>total<\/td>(<td>[\d.]+<\/td>)+/.exec(html)![0];
    expect(totals(pc)).toBe(totals(port));
  });
});
