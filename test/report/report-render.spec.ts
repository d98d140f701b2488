/**
 * The run report renders in a headless browser (Debian's chromium driven by playwright-core): a run with
 * a calibrated device and a bp comparison, the same run with a power measurement, and a bare bp run with
 * no measurement or calibration. Checks the DOM (every panel holds a chart or a table with content, no
 * "undefined"/"NaN"), that the page requests nothing but itself, and takes screenshots into build/.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainCommand } from '../../host/commands/train.ts';
import { reportCommand } from '../../host/commands/report.ts';
import { loadDataset } from '../../host/data/index.ts';
import type { MeasuredTraining } from '../../host/power/measured-training.ts';
import { measurePhaseEnergy } from '../../host/power/phase-energy.ts';
import type { MarkerEvent } from '../../host/power/phase-marker.ts';
import { PowerTrace } from '../../host/power/power-trace.ts';
import { readRunDir, writePowerMeasurement } from '../../host/report/run-dir.ts';
import { SYSTEM_TOOLS, skipReason } from '../setup/tool-list.ts';

const skip = skipReason(['chromium']);
if (skip) console.warn(`SKIPPED report rendering: ${skip}`);

const BUILD = resolve('build');
let root = '';

async function quiet<T>(f: () => Promise<T>): Promise<T> {
  const w = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await f();
  } finally {
    process.stdout.write = w;
  }
}

/** A synthetic measurement of `samples` samples: 150 mW forward, 250 mW backward, 10 ms phases, readings every 10 ms. */
function syntheticMeasurement(samples: number, ops: MeasuredTraining['ops']): MeasuredTraining {
  const markers: MarkerEvent[] = [{ tS: 0.1, phase: 'sync', sample: -1, level: 1 }];
  let t = 0.12;
  for (let k = 0; k < samples; k++) {
    markers.push({ tS: t, phase: 'forward', sample: k, level: 0 }, { tS: t + 0.03, phase: 'backward', sample: k, level: 1 });
    t += 0.07;
  }
  markers.push({ tS: t, phase: 'end', sample: -1, level: 0 });
  const level = (x: number) => (markers.filter((m) => m.tS <= x).pop()?.level ?? 0);
  const trace = new PowerTrace();
  for (let x = 0; x < t + 0.05; x += 0.0102) {
    const i = 0.03 + 0.02 * level(x);
    trace.push({ tS: x, busV: 5, currentA: i, powerW: 5 * i });
  }
  const sensor = { kind: 'ina219' as const, address: 0x40, shuntOhm: 0.1, config: 0x0667, calibration: 4096, currentLsbA: 1e-4, conversionS: 0.00851, samplingMs: 10, stampOffsetS: 0.0104 };
  return {
    port: '/dev/ttyACM0', boardId: 'arduino-uno', markerPin: 7, sensor, trace, markers,
    measured: measurePhaseEnergy(trace, markers, 0.0005), ops, samples, trainAccuracy: 0.9, testAccuracy: 0.9,
    config: readRunDir(join(root, 'pgaf')).run.config, dataset: 'iris',
  };
}

describe.skipIf(skip)('spintrain report in headless chromium', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'spintrain-report-'));
    mkdirSync(BUILD, { recursive: true });
    await quiet(() => trainCommand(['--dataset', 'iris', '--epochs', '3', '--compare', 'bp', '--device', 'sim', '--report', join(root, 'pgaf'), '--json']));
    await quiet(() => trainCommand(['--dataset', 'xor', '--algo', 'bp', '--epochs', '2', '--report', join(root, 'bp'), '--json']));
    cpSync(join(root, 'pgaf'), join(root, 'measured'), { recursive: true });
    const run = readRunDir(join(root, 'measured')).run;
    await writePowerMeasurement(join(root, 'measured'), syntheticMeasurement(40, run.ops));
    expect(await quiet(() => reportCommand([join(root, 'measured')]))).toBe(0);
    void loadDataset;
    const { chromium } = await import('playwright-core');
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(join(root, 'chromium-profile'), {
      executablePath: SYSTEM_TOOLS.chromium.probe,
      headless: true,
      viewport: { width: 1600, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function render(name: string) {
    const file = join(root, name, 'report.html');
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r: { url(): string }) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    const panels: { title: string; svgs: number; svgShapes: number; cells: number; emptyCells: number }[] = await page.$$eval('section.panel', (els: Element[]) =>
      els.map((el) => ({
        title: el.getAttribute('data-panel') ?? '',
        svgs: el.querySelectorAll('svg').length,
        svgShapes: el.querySelectorAll('svg path, svg line, svg rect, svg text').length,
        cells: el.querySelectorAll('td').length,
        emptyCells: [...el.querySelectorAll('td')].filter((td) => td.textContent!.trim() === '').length,
      })),
    );
    const text: string = await page.evaluate(() => document.body.innerText);
    await page.screenshot({ path: join(BUILD, `report-${name}.png`), fullPage: true });
    await page.close();
    return { panels, text, requests, html: readFileSync(file, 'utf8') };
  }

  function checkPanels(r: Awaited<ReturnType<typeof render>>) {
    for (const p of r.panels) {
      expect(p.svgs > 0 ? p.svgShapes : p.cells, `panel "${p.title}" is empty`).toBeGreaterThan(0);
      expect(p.emptyCells, `panel "${p.title}" has empty cells`).toBe(0);
    }
    expect(r.text).not.toMatch(/\bundefined\b|\bNaN\b|\bnull\b|Infinity/);
    expect(r.requests.every((u) => u.startsWith('file:'))).toBe(true);
    expect(r.html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i);
  }

  it('a pgaf run with a calibrated (simulated) device and a bp comparison', async () => {
    const r = await render('pgaf');
    checkPanels(r);
    expect(r.panels.map((p) => p.title)).toEqual([
      'Configuration', 'Accuracy per epoch', 'Learning curve', 'Kept-gradient fraction', 'Operations per phase', 'Estimated energy per phase', 'MTJ calibration',
    ]);
    for (const t of ['Accuracy per epoch', 'Learning curve', 'Kept-gradient fraction', 'Operations per phase', 'Estimated energy per phase']) {
      expect(r.panels.find((p) => p.title === t)!.svgs, t).toBeGreaterThan(0);
    }
    expect(r.text).toMatch(/backward energy/);
  }, 60_000);

  it('the same run with a power measurement shows the trace and the model error', async () => {
    const r = await render('measured');
    checkPanels(r);
    const p = r.panels.find((x) => x.title === 'Measured power')!;
    expect(p.svgs).toBe(1);
    expect(r.text).toMatch(/model error vs above-idle/);
    const [, fwd, bwd] = /mean power forward \/ backward\s+([\d.]+) \/ ([\d.]+) mW/.exec(r.text)!;
    expect(Number(fwd)).toBeCloseTo(150, -1);
    expect(Number(bwd)).toBeCloseTo(250, -1);
  }, 60_000);

  it('a bare bp run (no measurement, no calibration) renders without empty panels', async () => {
    const r = await render('bp');
    checkPanels(r);
    expect(r.panels.map((p) => p.title)).not.toContain('Measured power');
    expect(r.panels.map((p) => p.title)).not.toContain('MTJ calibration');
    expect(r.text).toMatch(/exact bp keeps every hidden gradient/);
  }, 60_000);
});
