/**
 * Board capacity, speed (issue 15): expected milliseconds per training sample on each shipped board, for
 * the module translated by wasm2c (AOT, C) and for the wasm3 interpreter, from guest instruction counts
 * on QEMU's MPS2 boards and the board's clock (estimate model and CPI assumptions:
 * test/bench/board-speed-markdown.ts; counting: test/bench/lib/cortex-m-count.ts).
 *
 *   WASM3_SRC=/path/to/wasm3 npx tsx test/bench/board-speed.ts [--quick] [--record]
 *       --quick   Cortex-M3 code only, generic workloads only
 *       --record  keeps test/bench/results/board-speed-<date>.json and re-renders the README section
 *                 (<!-- board-speed:begin --> … <!-- board-speed:end -->)
 *   npx tsx test/bench/board-speed.ts --from F   re-renders the README from a recorded run, running nothing
 *
 * wasm3 is not part of spintrain and is never committed: WASM3_SRC names a checkout of it (its root or its
 * source/ folder; the README's boards pin Wasm3 0.5.0). Without it the interpreter rows are skipped,
 * and the JSON and the README say so. Needs wasm2c (wabt), arm-none-eabi-gcc + newlib, qemu-system-arm.
 * Build products go to build/bench/board-speed/. Not part of the test suite (minutes of compiles and
 * emulation); the markdown generator has a smoke test in test/bench-smoke/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BOARDS } from '../../boards/index.ts';
import { loadXor } from '../../host/data/xor.ts';
import { loadMnist } from '../../host/data/mnist.ts';
import { defaultNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from '../../host/engine/config.ts';
import { boardAscFlags, compileEngine, finishBoardModule, measureTrainingMemory } from '../../host/deploy/board-module.ts';
import { usableLinearBytes } from '../../host/deploy/linear-budget.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { encodeTrainingStream, type StreamSplit } from '../../host/deploy/serial-stream.ts';
import type { Parameters } from '../../host/engine/wasm-engine.ts';
import { writeFileAtomic } from '../../host/io/atomic-write.ts';
import { runInV8 } from '../harness/runtimes/reference-run.ts';
import { missingTools } from '../setup/tool-list.ts';
import { largestMnistHidden } from './lib/board-capacity.ts';
import { INSTRUCTIONS_PER_TICK, OPT, QEMU_MACHINE, WASM3_DEFINES, buildCountImage, runCountImage, wasm3SourceDir, type CountIsa, type CountRuntime } from './lib/cortex-m-count.ts';
import { machineInfo } from './lib/machine.ts';
import { CORE_MODELS, TARGET_MS_PER_SAMPLE, boardSpeedMarkdown, estimateBoards, replaceBoardSpeed, type BoardSpeedRun, type CountRow } from './board-speed-markdown.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { record: { type: 'boolean' }, quick: { type: 'boolean' }, from: { type: 'string' } } });
const log = (s: string) => process.stdout.write(s + '\n');

async function render(run: BoardSpeedRun): Promise<void> {
  const readme = join(root, 'README.md');
  await writeFileAtomic(readme, replaceBoardSpeed(readFileSync(readme, 'utf8'), boardSpeedMarkdown(run)));
  log('README.md board-speed section re-rendered');
}

if (values.from) {
  await render(JSON.parse(readFileSync(values.from, 'utf8')) as BoardSpeedRun);
  process.exit(0);
}

const missing = missingTools(['wasm2c', 'armGcc', 'armNewlib', 'qemuArm']);
if (missing.length) {
  log(`board-speed: cannot count, missing ${missing.join(', ')} (run \`tsx test/setup/system-tools.ts\` as root)`);
  process.exit(1);
}

// wasm3: from WASM3_SRC only
let wasm3Src: string | undefined;
let wasm3Skipped: string | undefined;
let wasm3Version: string | null = null;
if (!process.env.WASM3_SRC) wasm3Skipped = 'WASM3_SRC is not set: wasm3 is not part of spintrain; point it at a wasm3 checkout (e.g. v0.5.0) to count the interpreter';
else {
  wasm3Src = wasm3SourceDir(process.env.WASM3_SRC);
  if (!wasm3Src) wasm3Skipped = `WASM3_SRC=${process.env.WASM3_SRC} holds no wasm3.h and m3_exec.c (neither there nor in source/)`;
  else wasm3Version = /#define M3_VERSION\s+"([^"]+)"/.exec(readFileSync(join(wasm3Src, 'wasm3.h'), 'utf8'))?.[1] ?? 'unknown';
}
if (wasm3Skipped) log(`board-speed: the interpreter (wasm3) rows are skipped: ${wasm3Skipped}`);
const runtimes: CountRuntime[] = wasm3Src ? ['wasm2c', 'wasm3'] : ['wasm2c'];

const OUT = join(root, 'build/bench/board-speed/');
mkdirSync(OUT, { recursive: true });

interface Workload {
  name: string;
  network: NetworkConfig<TrainingAlgorithm>;
  /** The N-sample and the 2N-sample runs. */
  runs: [{ data: StreamSplit; epochs: number }, { data: StreamSplit; epochs: number }];
  asc: string[];
  isas: CountIsa[];
}

const ALL_ISAS: CountIsa[] = values.quick ? ['cortex-m3'] : ['cortex-m3', 'cortex-m0plus', 'cortex-m4', 'cortex-m7'];
const N_MNIST = 20;
const mnist = loadMnist({ trainLimit: 2 * N_MNIST, testLimit: 1 });
const firstN = (n: number): StreamSplit => ({ x: mnist.train.x.subarray(0, n * 784), y: mnist.train.y.subarray(0, n), n });
const mnistRuns = (): Workload['runs'] => [{ data: firstN(N_MNIST), epochs: 1 }, { data: firstN(2 * N_MNIST), epochs: 1 }];
const mnistNet = (hidden: number, algorithm: 'pgaf' | 'bp'): NetworkConfig<TrainingAlgorithm> => ({
  ...defaultNetworkConfig, layout: [784, hidden, 10], activation: 'sigmoid', output: 'softmax', algorithm, learningRate: [0.025, 0.1], momentum: 0, seed: 1,
});
const xor = loadXor();

const workloads: Workload[] = [
  {
    name: 'xor 2-4-2 pgaf',
    network: { ...defaultNetworkConfig, layout: [2, 4, 2], activation: 'sigmoid', output: 'softmax', algorithm: 'pgaf', learningRate: 0.3, momentum: 0, decay: 0, seed: 1 },
    runs: [{ data: xor.train, epochs: 50 }, { data: xor.train, epochs: 100 }], asc: [], isas: ALL_ISAS,
  },
  { name: 'mnist 784-32-10 pgaf', network: mnistNet(32, 'pgaf'), runs: mnistRuns(), asc: [], isas: ALL_ISAS },
  { name: 'mnist 784-32-10 bp', network: mnistNet(32, 'bp'), runs: mnistRuns(), asc: [], isas: ALL_ISAS },
];
/** Per board, the largest MNIST 784-H-10 (pgaf) whose plan fits its linear-memory budget (the capacity table's net). */
const boardWorkload = new Map<string, string>();
const largestHidden = new Map<string, number>();
for (const b of BOARDS) {
  const m = CORE_MODELS[b.cpu.arch];
  if (!m || b.runtime.kind === 'host-tethered') continue;
  const asc = boardAscFlags(usableLinearBytes(b));
  const h = largestMnistHidden(await compileEngine(asc), usableLinearBytes(b));
  largestHidden.set(b.id, h);
  if (h === 0 || values.quick) continue;
  const name = `${b.id}: largest that fits, 784-${h}-10 pgaf`;
  boardWorkload.set(b.id, name);
  workloads.push({ name, network: mnistNet(h, 'pgaf'), runs: mnistRuns(), asc, isas: [m.isa] });
}

const same = (a: Parameters, b: Parameters) => a.weights.every((w, l) => w.every((v, i) => v === b.weights[l][i]) && a.biases[l].every((v, i) => v === b.biases[l][i]));
const counts: CountRow[] = [];
const t0 = performance.now();

for (const w of workloads) {
  const compiled = await compileEngine(w.asc);
  const need = measureTrainingMemory(compiled, w.network).linearBytes;
  const budget = w.asc.length ? Number(w.asc[1]) : 0;
  const wasm = finishBoardModule(compiled, { board: 'bench', layout: w.network.layout, linearBytes: need, budgetBytes: budget, ...(budget ? { lowMemoryLimit: budget } : {}) }).wasm;
  const configHeader = cConfigHeader({ network: w.network, draws: 'prng', linearMemoryLimit: need }, w.name);
  // V8 holds the data in linear memory too: the same module with room for it
  const v8 = await Promise.all(w.runs.map((r) => {
    const v8wasm = finishBoardModule(compiled, { board: 'bench-v8', layout: w.network.layout, linearBytes: need + r.data.x.length + r.data.n + 64, budgetBytes: 0 }).wasm;
    return runInV8({ name: w.name, network: w.network, data: r.data, epochs: r.epochs, draws: 'prng', halSeed: 0 }, v8wasm);
  }));
  const samples = w.runs.map((r) => r.data.n * r.epochs) as [number, number];
  for (const isa of w.isas) {
    for (const runtime of runtimes) {
      const b = { isa, runtime, wasm, configHeader, linearMemoryBytes: need, wasm3Src, dir: OUT };
      const ticks: number[] = [];
      let identical = true;
      let deterministic = true;
      let flashBytes = 0;
      w.runs.forEach((r, k) => {
        const image = buildCountImage(b, encodeTrainingStream(r.data, w.network.layout[0], r.epochs), `n${samples[k]}`);
        flashBytes = image.flashBytes;
        const q = runCountImage(image.elf, isa, w.network.layout);
        identical &&= same(q.parameters, v8[k].parameters);
        if (k === 1) deterministic = runCountImage(image.elf, isa, w.network.layout).ticks === q.ticks;
        ticks.push(q.ticks);
      });
      const n = samples[1] - samples[0];
      const row: CountRow = {
        workload: w.name, layout: w.network.layout, algorithm: w.network.algorithm, runtime, isa, machine: QEMU_MACHINE[isa],
        samples, ticks: ticks as [number, number], instructionsPerSample: ((ticks[1] - ticks[0]) * INSTRUCTIONS_PER_TICK) / n, deterministic, identicalToV8: identical, flashBytes,
      };
      counts.push(row);
      log(`${w.name.padEnd(48)} ${runtime.padEnd(6)} ${isa.padEnd(13)} ${(row.instructionsPerSample / 1e3).toFixed(1).padStart(9)} k instr/sample  ${identical ? 'bit-identical to V8' : 'NOT IDENTICAL TO V8'}${deterministic ? '' : ', NOT DETERMINISTIC'}  (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
}

const generic = 'mnist 784-32-10 pgaf';
const boards = estimateBoards(BOARDS, counts, (id) => [
  { workload: generic, fits: (largestHidden.get(id) ?? 0) >= 32 },
  ...(boardWorkload.has(id) ? [{ workload: boardWorkload.get(id)!, fits: true }] : []),
]);
const tool = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].trim();
const date = new Date().toISOString();
const run: BoardSpeedRun = {
  date,
  commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(),
  treeDirty: execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() !== '',
  command: `npx tsx test/bench/board-speed.ts${values.quick ? ' --quick' : ''}${values.record ? ' --record' : ''}`,
  machine: machineInfo(),
  qemu: tool('qemu-system-arm', ['--version']).replace(/^QEMU emulator version /, 'QEMU '),
  gcc: tool('arm-none-eabi-gcc', ['--version']),
  opt: OPT,
  wasm3: { version: wasm3Version, source: wasm3Src ? `wasm3 ${wasm3Version} (github.com/wasm3/wasm3), core sources only` : null, ...(wasm3Skipped ? { skipped: wasm3Skipped } : {}), defines: WASM3_DEFINES },
  draws: "the module's own generator (draws prng), as the boards run without an MTJ circuit",
  targetMsPerSample: TARGET_MS_PER_SAMPLE,
  counts,
  boards,
};

log('\n' + boardSpeedMarkdown(run));
writeFileSync(join(root, 'build/bench/board-speed-latest.json'), JSON.stringify(run, null, 1) + '\n');
if (values.record) {
  const file = join(root, `test/bench/results/board-speed-${date.slice(0, 10)}.json`);
  writeFileSync(file, JSON.stringify(run, null, 1) + '\n');
  log(`recorded ${file}`);
  await render(run);
}
if (counts.some((c) => !c.identicalToV8 || !c.deterministic)) process.exitCode = 1;
