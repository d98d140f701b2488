/**
 * The pieces of test/bench/narrow-weights.ts (issue 16) that need no training run: the linear-memory budgets,
 * the largest MNIST 784-H-10 each module build fits in one, and the report's tables.
 *
 *   linear = align8(heapBase) + sizeofTrainingMemory() + 784 (the input buffer) ≤ budget
 *   (host/deploy/board-module.ts, measureTrainingMemory, on the module of each weight width, so that its plan's
 *   4, 2 or 1 bytes per weight count)
 */
import { readFileSync } from 'node:fs';
import { measureTrainingMemory } from '../../../host/deploy/board-module.ts';
import { usableLinearBytes } from '../../../host/deploy/linear-budget.ts';
import { BOARDS } from '../../../boards/index.ts';
import { defaultNetworkConfig } from '../../../host/engine/config.ts';
import { weightModulePath, type WeightBits } from '../../../host/engine/weight-format.ts';
import type { MachineInfo } from './machine.ts';

export const NARROW_BENCH_BITS: WeightBits[] = [32, 16, 8];

export interface Budget {
  id: string;
  /** Usable linear memory [bytes]. */
  bytes: number;
}

export interface NarrowRun {
  caseId: string;
  bits: WeightBits;
  seed: number;
  layout: number[];
  args: string[];
  testAccuracy: number;
  planBytes: number;
  /** align8(heapBase) + plan + input buffer [bytes] (784-H-10 only). */
  linearBytes: number;
  trainSeconds: number;
  /** Rounding draws per training sample (the update phase's random draws). */
  roundingDrawsPerSample: number;
}

export interface NarrowReport {
  date: string;
  commit: string;
  machine: MachineInfo;
  wallSeconds: number;
  /** Each budget with the largest hidden width per weight width ("32", "16", "8"). */
  budgets: (Budget & { hidden: Record<string, number> })[];
  runs: NarrowRun[];
}

/** The budgets: three boards' usable linear memory (boards/*.ts) and 128 KiB. */
export function budgets(): Budget[] {
  const board = (id: string): Budget => {
    const b = BOARDS.find((x) => x.id === id);
    if (!b) throw new Error(`board ${id} not found`);
    return { id, bytes: usableLinearBytes(b) };
  };
  return [board('nrf52840-nano33ble'), board('esp32-devkitc'), { id: '128 KiB', bytes: 128 * 1024 }, board('rp2040-pico')];
}

const mnistNet = (hidden: number) => ({ ...defaultNetworkConfig, layout: [784, hidden, 10] });

/** Plan and linear memory of 784-H-10 on a module build [bytes]. */
export function linearBytes(bits: WeightBits, hidden: number): { planBytes: number; linearBytes: number } {
  const m = measureTrainingMemory(readFileSync(weightModulePath(bits)), mnistNet(hidden));
  return { planBytes: m.planBytes, linearBytes: m.linearBytes };
}

/** Largest H with 784-H-10 within `budget` bytes on the module of `bits` (binary search on the plan; 0: none). */
export function largestHidden(bits: WeightBits, budget: number): number {
  const wasm = readFileSync(weightModulePath(bits));
  const fits = (h: number): boolean => measureTrainingMemory(wasm, mnistNet(h)).linearBytes <= budget;
  if (!fits(1)) return 0;
  let lo = 1;
  let hi = 2;
  while (hi <= 8192 && fits(hi)) (lo = hi), (hi *= 2);
  hi = Math.min(hi, 8193);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

const pct = (x: number): string => (100 * x).toFixed(2);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The report as two Markdown tables: the budgets' layouts, then the other cases (784-256-10, held out). */
export function narrowMarkdown(r: NarrowReport): string {
  const lines: string[] = [];
  lines.push('| budget | bits | layout | linear memory [B] | test accuracy [%] (seeds) | mean |', '|---|---|---|---|---|---|');
  for (const b of r.budgets) {
    for (const bits of NARROW_BENCH_BITS) {
      const runs = r.runs.filter((x) => x.caseId === `mnist ${b.id}` && x.bits === bits);
      if (!runs.length) continue;
      lines.push(`| ${b.id} (${b.bytes.toLocaleString('en')} B) | ${bits} | ${runs[0].layout.join('-')} | ${runs[0].linearBytes.toLocaleString('en')} | ${runs.map((x) => pct(x.testAccuracy)).join(', ')} | ${pct(mean(runs.map((x) => x.testAccuracy)))} |`);
    }
  }
  const cases = [...new Set(r.runs.map((x) => x.caseId))].filter((c) => !r.budgets.some((b) => c === `mnist ${b.id}`));
  lines.push('', '| case | bits | layout | plan [B] | test accuracy [%] (seeds) | mean |', '|---|---|---|---|---|---|');
  for (const c of cases) {
    for (const bits of NARROW_BENCH_BITS) {
      const runs = r.runs.filter((x) => x.caseId === c && x.bits === bits);
      if (!runs.length) continue;
      lines.push(`| ${c} | ${bits} | ${runs[0].layout.join('-')} | ${runs[0].planBytes.toLocaleString('en')} | ${runs.map((x) => pct(x.testAccuracy)).join(', ')} | ${pct(mean(runs.map((x) => x.testAccuracy)))} |`);
    }
  }
  return lines.join('\n') + '\n';
}
