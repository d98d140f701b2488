/**
 * Where a replayed training run (spectest-script.ts, wasm2c-replay.ts) puts things in the module's linear
 * memory: the plan at align8(heapBase), the samples' features x at align8(linear bytes), their labels y after
 * them, the pages that takes and the module's initial pages (`have`). `probe` is the same module in V8 with the plan placed, to read region
 * addresses from (they depend only on the module and the plan).
 */
import { DeployError } from '../../../host/deploy/errors.ts';
import { configureArgs } from '../../../host/engine/engine-setup.ts';
import { measureTrainingMemory } from '../../../host/deploy/board-module.ts';
import { instantiateEngine } from '../../../host/engine/wasm-engine.ts';
import type { TrainingRun } from './reference-run.ts';

export const align8 = (x: number): number => Math.ceil(x / 8) * 8;

export function replayLayout(wasm: Uint8Array, run: TrainingRun, what: string) {
  const n = run.network;
  const mem = measureTrainingMemory(wasm, n);
  const planBase = align8(mem.heapBase);
  const xAt = align8(mem.linearBytes);
  const yAt = align8(xAt + run.data.x.length);
  const pages = Math.ceil((yAt + run.data.n) / 65536);
  const probe = instantiateEngine(wasm, () => {});
  n.layout.forEach((w, k) => probe.layoutSet(k, w));
  (probe.configure as (...a: number[]) => number)(...configureArgs(n, 0));
  const have = probe.memory.buffer.byteLength / 65536;
  if (have < pages) probe.memory.grow(pages - have);
  if (probe.scheduleTrainingMemory(planBase) < 0) throw new DeployError(`${what} ${run.name}: the plan does not fit the module's memory`);
  // have: the module's own initial pages (a replay grows the memory to `pages` first when it has fewer)
  return { n, mem, planBase, xAt, yAt, pages, have, probe };
}
