/**
 * Per-sample training time of the same run in V8, wabt's spectest-interp, wasm2c-native (board glue,
 * system C compiler, -O2) and the Cortex-M3 build on QEMU mps2-an385, plus the RAM/flash table.
 * Weights are checked bit-identical across all four before any time is reported.
 *   V8, wasm2c:        time inside the training loop only.
 *   spectest:          (wall time of a run with E epochs − wall time of the same run with 0 epochs) / samples,
 *                      which removes start-up, parsing and the weight dump.
 *   QEMU:              SysTick time of the training loop (emulation speed on this machine, not a
 *                      Cortex-M3's), and instructions per sample from a second run under -icount shift=0.
 * Usage: tsx test/bench/edge-runtimes.ts [--samples 100] [--hidden 32]   → build/bench/edge-runtimes.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnist } from '../../host/data/mnist.ts';
import { defaultNetworkConfig } from '../../host/engine/config.ts';
import type { Parameters } from '../../host/engine/wasm-engine.ts';
import { runInV8, type TrainingRun } from '../harness/runtimes/reference-run.ts';
import { boardAscFlags, compileEngine, finishBoardModule, measureTrainingMemory } from '../../host/deploy/board-module.ts';
import { compileNativeObjects, linkNative, runNative } from '../harness/runtimes/wasm2c-native.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { encodeTrainingStream } from '../../host/deploy/serial-stream.ts';
import { spectestScript, parseSpectestOutput } from '../harness/runtimes/spectest-script.ts';
import { runSpectest } from '../harness/runtimes/spectest-run.ts';
import { buildCortexM, runQemu } from '../harness/runtimes/cortex-m-build.ts';
import { BOARDS } from '../../boards/index.ts';
import { capacityRow, formatCapacityTable } from './lib/board-capacity.ts';
import { usableLinearBytes } from '../../host/deploy/linear-budget.ts';
import { hasTool } from '../setup/tool-list.ts';

const { values } = parseArgs({ options: { samples: { type: 'string' }, hidden: { type: 'string' } } });
const samples = Number(values.samples ?? 100);
const hidden = Number(values.hidden ?? 32);
const OUT = fileURLToPath(new URL('../../build/bench/edge/', import.meta.url));
mkdirSync(OUT, { recursive: true });

const mnist = loadMnist({ trainLimit: samples, testLimit: 1 });
const run: TrainingRun = {
  name: `mnist${samples}-784-${hidden}-10-pgaf-sigmoid`,
  network: { ...defaultNetworkConfig, layout: [784, hidden, 10], activation: 'sigmoid', output: 'softmax', algorithm: 'pgaf', learningRate: [0.025, 0.1], seed: 1 },
  data: mnist.train, epochs: 1, draws: 'prng', halSeed: 0,
};
const perSample = run.data.n * run.epochs;

const compiled = await compileEngine([]);
const need = measureTrainingMemory(compiled, run.network).linearBytes;
const wasm = finishBoardModule(compiled, { board: 'bench', layout: run.network.layout, linearBytes: need + run.data.x.length + run.data.n + 64, budgetBytes: 0 }).wasm;

const same = (a: Parameters, b: Parameters) => a.weights.every((w, l) => w.every((v, i) => v === b.weights[l][i]) && a.biases[l].every((v, i) => v === b.biases[l][i]));
const results: Record<string, { msPerSample: number; identical: boolean; note?: string }> = {};

await runInV8(run, wasm); // warm-up
const v8 = await runInV8(run, wasm);
results.v8 = { msPerSample: v8.secondsPerSample * 1e3, identical: true };

if (hasTool('wasm2c') && hasTool('cc')) {
  const objs = compileNativeObjects(wasm, join(OUT, 'native'));
  const exe = linkNative(objs, cConfigHeader({ network: run.network, draws: 'prng', linearMemoryLimit: 1 << 30 }, run.name), 'bench');
  const r = runNative(exe, encodeTrainingStream(run.data, 784, run.epochs), run.network.layout);
  results['wasm2c-native'] = { msPerSample: r.epochs.reduce((s, e) => s + e.trainMicros, 0) / 1e3 / perSample, identical: same(r.parameters, v8.parameters) };
}
if (hasTool('spectestInterp')) {
  const full = spectestScript(wasm, run);
  const t1 = runSpectest(full.wast, join(OUT, 'spectest'), 'full');
  const t0 = runSpectest(spectestScript(wasm, run, 0).wast, join(OUT, 'spectest'), 'zero');
  const got = parseSpectestOutput(t1.stdout, full, run.network.layout);
  results['spectest-interp'] = { msPerSample: ((t1.seconds - t0.seconds) / perSample) * 1e3, identical: same(got.parameters, v8.parameters) };
}
if (hasTool('armGcc') && hasTool('qemuArm')) {
  const b1 = buildCortexM({ wasm, configHeader: cConfigHeader({ network: run.network, draws: 'prng', linearMemoryLimit: need }, run.name), stream: encodeTrainingStream(run.data, 784, run.epochs), linearMemoryBytes: need, halSeed: 0, dir: join(OUT, 'qemu') });
  const wall = runQemu(b1.elf, run.network.layout, 600_000);
  const counted = runQemu(b1.elf, run.network.layout, 600_000, true);
  const micros = (q: typeof wall) => q.epochs.reduce((s, e) => s + e.trainMicros, 0);
  const instructions = (micros(counted) * 1000) / perSample;
  results['qemu-cortex-m3'] = {
    msPerSample: micros(wall) / 1e3 / perSample, identical: same(wall.parameters, v8.parameters) && same(counted.parameters, v8.parameters),
    note: `emulation speed on this machine (SysTick, training loop only); ${(instructions / 1e6).toFixed(2)} M instructions/sample (-icount); linear ${wall.memory.linearBytes} B, stack ${wall.memory.stackBytes} B, flash ${b1.sizes.text + b1.sizes.data} B incl. the compiled-in stream`,
  };
}

const modules = new Map<string, Uint8Array>();
for (const b of BOARDS) modules.set(boardAscFlags(usableLinearBytes(b)).join(' '), await compileEngine(boardAscFlags(usableLinearBytes(b))));
const table = formatCapacityTable(BOARDS.map((b) => capacityRow(b, (budget) => modules.get(boardAscFlags(budget).join(' '))!)));

console.log(`run ${run.name}: ${perSample} samples`);
console.log('| runtime | ms / sample | × V8 time | bit-identical to V8 | note |\n|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${r.msPerSample.toFixed(4)} | ${(r.msPerSample / results.v8.msPerSample).toFixed(2)} | ${r.identical ? 'yes' : 'NO'} | ${r.note ?? ''} |`);
}
console.log('\n' + table);
writeFileSync(join(OUT, '..', 'edge-runtimes.json'), JSON.stringify({ run: run.name, samples: perSample, results, capacityTable: table }, null, 2));
if (Object.values(results).some((r) => !r.identical)) process.exitCode = 1;
