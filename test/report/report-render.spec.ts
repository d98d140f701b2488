/**
 * The run report renders in a headless browser (Debian's chromium driven by playwright-core): a run with
 * a calibrated device and a bp comparison, the same run with a power measurement, and a bare bp run with
 * no measurement or calibration. Checks the DOM (every panel holds a chart or a table with content, no
 * "undefined"/"NaN"), that the page requests nothing but itself, and takes screenshots into build/; also
 * the calibration plots of `spintrain calibrate --plots` (build/calibration-*.png).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrateCommand } from '../../host/commands/calibrate.ts';
import { trainCommand } from '../../host/commands/train.ts';
import { reportCommand } from '../../host/commands/report.ts';
import { loadDataset } from '../../host/data/index.ts';
import { syntheticMeasurement } from '../support/synthetic-power.ts';
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
    await writePowerMeasurement(join(root, 'measured'), syntheticMeasurement(40, { ops: run.ops, config: run.config, dataset: 'iris', trainAccuracy: 0.9, testAccuracy: 0.9 }));
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
      'Configuration', 'Accuracy per epoch', 'Training loss per epoch', 'Learning curve', 'Kept-gradient fraction', 'Operations per phase', 'Estimated energy per phase', 'MTJ calibration',
    ]);
    for (const t of ['Accuracy per epoch', 'Training loss per epoch', 'Learning curve', 'Kept-gradient fraction', 'Operations per phase', 'Estimated energy per phase']) {
      expect(r.panels.find((p) => p.title === t)!.svgs, t).toBeGreaterThan(0);
    }
    expect(r.text).toMatch(/backward energy/);
    // Issue 13: the summary first, the baseline in the accuracy legend, a true energy-table label.
    expect(r.text).toMatch(/^spintrain run[^\n]*\n[^\n]*\n+This pgaf run \(iris 4-16-3, 3 epochs\) reached [\d.]+ % test accuracy, used [\d.]+× fewer backward multiplies\+adds per sample than the bp baseline/);
    expect(r.text).toMatch(/needs an estimated [\d.]+ [pnµ]J per training sample \(45 nm default table\)\./);
    expect(r.text).toMatch(/energy table\s+45 nm CMOS \(Horowitz, ISSCC 2014\) with SOT-MTJ estimates — the default: the run used no board/);
    expect(r.text).not.toMatch(/Arduino Uno/);
    expect(r.html).toContain('>bp baseline (test)</text>');
  }, 60_000);

  it('the same run with a power measurement shows the trace and the model error', async () => {
    const r = await render('measured');
    checkPanels(r);
    const p = r.panels.find((x) => x.title === 'Measured power')!;
    expect(p.svgs).toBe(1);
    expect(r.text).toMatch(/model error vs above-idle/);
    expect(r.text).toMatch(/board\s+Arduino Uno R3 \(StandardFirmata, host-tethered\) on \S+/);
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
    expect(r.text).toMatch(/This bp run \(xor [\d-]+, 2 epochs\) reached [\d.]+ % test accuracy and needs an estimated/);
    expect(r.html).not.toContain('bp baseline');
  }, 60_000);

  it('the calibration plots of spintrain calibrate --plots: one panel per device, every mark inside its panel', async () => {
    const dir = join(root, 'plots');
    expect(await quiet(() => calibrateCommand(['--device', 'sim', '--devices', '16', '--out', join(root, 'cal.json'), '--plots', dir]))).toBe(0);
    for (const f of ['p-high-vs-current', 'p10-vs-current']) {
      const page = await browser.newPage();
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${readFileSync(join(dir, `${f}.svg`), 'utf8')}</body></html>`);
      const box = await page.$eval('svg', (el: SVGSVGElement) => ({ w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height }));
      expect(box.w).toBeLessThan(900); // 4 panels a row, no empty margin from an overlong line
      // Every point and bar lies inside its panel's frame (the browser's own geometry).
      const outside: number = await page.$$eval('g[class*="panel-"]', (panels: Element[]) =>
        panels.reduce((n, g) => {
          const frame = g.querySelector('path.background')!.getBoundingClientRect();
          const marks = [...g.querySelectorAll('.measured path, .wilson-bars line')].map((m) => m.getBoundingClientRect());
          return n + marks.filter((r) => r.top < frame.top - 3 || r.bottom > frame.bottom + 3).length;
        }, 0),
      );
      expect(outside, f).toBe(0);
      const text: string = await page.evaluate(() => document.body.textContent ?? '');
      expect(text).not.toContain('…');
      await page.locator('svg').screenshot({ path: join(BUILD, `calibration-${f}.png`) });
      await page.close();
    }
  }, 60_000);
});
