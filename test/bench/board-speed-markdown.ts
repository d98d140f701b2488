/**
 * Expected milliseconds per training sample on each shipped board, from instruction counts on QEMU
 * (test/bench/board-speed.ts) and the board's clock, and the README section that shows them. Every
 * figure in the section comes from the recorded JSON; nothing is typed in by hand except the cycles-per-
 * instruction assumptions below, which are the estimate's inputs and are printed with it.
 *
 *   ms/sample = instructions/sample × ISA factor × CPI / cpu.clockHz × 1000
 *
 * An estimate, not a measurement on hardware: QEMU counts instructions, not cycles. CPI (cycles per
 * instruction) per core, as a range [low, high] and a middle value, with the reasoning:
 *
 * - Cortex-M4F (nRF52840, 64 MHz), counted on a -mcpu=cortex-m4 build (mps2-an386): 3-stage in-order
 *   pipeline, ALU ops and MUL/UMULL/SMULL 1 cycle, LDR 2 (1 when pipelined with the next load/store),
 *   taken branches 2–4. nRF52840 runs from flash with its instruction cache (Nordic quotes 212 CoreMark
 *   at 64 MHz, 3.3/MHz, close to Arm's 3.4/MHz for the M4): CPI 1.1–1.6, middle 1.3.
 * - Cortex-M0+ (RP2040, 133 MHz), counted on a -mcpu=cortex-m0plus build: ARMv6-M Thumb-1 (no 32×32→64
 *   multiply, no IT blocks, no hardware divide in the core, few 32-bit encodings), so it is a separate
 *   binary with more instructions than Thumb-2; ARMv6-M is a subset of ARMv7-M and the same binary runs on
 *   QEMU's Cortex-M3 model, so these counts are the M0+ binary's own, not an extrapolation. 2-stage
 *   pipeline: ALU and MULS (RP2040's single-cycle multiplier) 1 cycle, loads/stores 2, taken branches 2.
 *   The RP2040 runs code from external QSPI flash through a 16 KiB XIP cache (Arduino-Pico does not place
 *   wasm3 or the module in RAM), so misses add cycles: CPI 1.2–2.0, middle 1.5. On ARMv6-M, wasm2c's loads and
 *   stores (memcpy of 4 or 8 bytes, for unaligned safety) would be memcpy calls, since the core has no
 *   unaligned access; spintrain's wasm2c builds include boards/glue/runtime/st_wasm2c_access.h, which makes
 *   an aligned access one load or store (784-32-10 pgaf: 0.97 M instructions per sample instead of 1.62 M).
 *   i64 multiplies stay __aeabi_lmul calls: the wasm2c count is still ~3× the Thumb-2 one.
 * - Cortex-M7 (Teensy 4.1, 600 MHz), counted on a -mcpu=cortex-m7 build (mps2-an500): 6-stage dual-issue
 *   (Arm: 5.0 CoreMark/MHz against 3.4 for the M4). Teensyduino runs code from ITCM and static data from
 *   DTCM (no wait states), but malloc (wasm3's linear memory and code pages) comes from RAM2/OCRAM behind
 *   the 32 KiB data cache, and dual issue needs independent instruction pairs, which an interpreter's
 *   dispatch rarely has: CPI 0.6–1.2, middle 0.85.
 * - Xtensa LX6 (ESP32, 240 MHz): a different ISA, nothing counted. The Cortex-M3 (Thumb-2) count stands
 *   in, times an ISA factor 0.8–1.5 (24/16-bit RISC with register windows and MULL/MULUH/MULSH; no
 *   measurement here decides where in that range it lands). CPI 1.0–1.8, middle 1.3: 5-stage pipeline,
 *   code from external flash through a 32 KiB cache unless in IRAM (the glue puts nothing there),
 *   linear memory in internal SRAM. The ESP32 row is the least certain, by up to 2× either way.
 * - ATmega328P (Uno): no WebAssembly runtime (host-tethered): no row.
 *
 * A board "needs AOT" for a workload when even its low interpreter estimate is above the target
 * (TARGET_MS_PER_SAMPLE), "interpreter OK" when the high estimate is below it, "borderline" otherwise.
 */
import type { MachineInfo } from './lib/machine.ts';
import { replaceReadmeSection } from './lib/readme-section.ts';

export type CountIsa = 'cortex-m3' | 'cortex-m0plus' | 'cortex-m4' | 'cortex-m7';
export type CountRuntime = 'wasm2c' | 'wasm3';

/** Interpreter target: 10 ms per training sample (100 samples/s). */
export const TARGET_MS_PER_SAMPLE = 10;

export interface CoreModel {
  /** Which counted build stands for the core. */
  isa: CountIsa;
  /** Instruction-count factor against the counted build [low, high] (1 where the core's own binary was counted). */
  isaFactor: [number, number];
  cpi: [number, number];
  cpiMid: number;
  note: string;
}

/** Per BoardProfile cpu.arch (the reasoning is in the header comment). */
export const CORE_MODELS: Record<string, CoreModel> = {
  'arm-cortex-m4f': { isa: 'cortex-m4', isaFactor: [1, 1], cpi: [1.1, 1.6], cpiMid: 1.3, note: 'Cortex-M4 binary counted; CPI 1.1–1.6 (3-stage pipeline, flash with cache)' },
  'arm-cortex-m0+': {
    isa: 'cortex-m0plus', isaFactor: [1, 1], cpi: [1.2, 2.0], cpiMid: 1.5,
    note: 'Thumb-1 (ARMv6-M) binary counted; CPI 1.2–2.0 (2-stage pipeline, code from QSPI flash through a 16 KiB XIP cache).' +
      ' ARMv6-M has no unaligned loads: wasm2c\'s memcpy-based loads and stores would be memcpy calls, and the build\'s runtime/st_wasm2c_access.h makes each aligned one a single load or store' +
      ' (784-32-10 pgaf: 0.97 M instructions per sample instead of 1.62 M); i64 multiplies stay calls to __aeabi_lmul, so wasm2c still needs ~3× the Thumb-2 count on this core',
  },
  'arm-cortex-m7': { isa: 'cortex-m7', isaFactor: [1, 1], cpi: [0.6, 1.2], cpiMid: 0.85, note: 'Cortex-M7 binary counted; CPI 0.6–1.2 (dual issue; code in ITCM, heap in OCRAM behind the data cache)' },
  xtensa: { isa: 'cortex-m3', isaFactor: [0.8, 1.5], cpi: [1.0, 1.8], cpiMid: 1.3, note: 'no Xtensa count: the Cortex-M3 count × 0.8–1.5 for the ISA, CPI 1.0–1.8; uncertain by up to 2× either way' },
};

export interface CountRow {
  /** e.g. "xor 2-4-2 pgaf", "mnist 784-32-10 pgaf", "esp32-devkitc's largest: 784-28-10 pgaf". */
  workload: string;
  layout: number[];
  algorithm: string;
  runtime: CountRuntime;
  isa: CountIsa;
  machine: string;
  /** The two runs' training samples (N, 2N) and their SysTick ticks. */
  samples: [number, number];
  ticks: [number, number];
  /** (ticks(2N) − ticks(N)) · 40 / N. */
  instructionsPerSample: number;
  /** The count repeated (same image, second QEMU run) gave the same ticks. */
  deterministic: boolean;
  /** Weights after both runs bit-identical to V8's. */
  identicalToV8: boolean;
  flashBytes: number;
}

export interface BoardEstimate {
  board: string;
  core: string;
  clockHz: number;
  runtime: string;
  workload: string;
  /** The workload's training memory fits the board's linear-memory budget. */
  fits: boolean;
  isa: CountIsa;
  instructionsPerSample: Partial<Record<CountRuntime, number>>;
  /** [low, middle, high] ms per sample. */
  ms: Partial<Record<CountRuntime, [number, number, number]>>;
  /** From the wasm3 and wasm2c estimates against TARGET_MS_PER_SAMPLE (verdictOf); null without a wasm3 count. */
  verdict: Verdict | null;
  note: string;
}

export interface BoardSpeedRun {
  date: string;
  commit: string;
  /** The working tree had uncommitted changes when the bench ran. */
  treeDirty?: boolean;
  command: string;
  machine: MachineInfo;
  qemu: string;
  gcc: string;
  opt: string;
  /** wasm3 sources used, or why the interpreter rows were skipped. */
  wasm3: { version: string | null; source: string | null; skipped?: string; defines: string[] };
  draws: string;
  targetMsPerSample: number;
  counts: CountRow[];
  boards: BoardEstimate[];
}

export interface BoardCpu {
  id: string;
  cpu: { arch: string; core: string; clockHz: number };
  runtime: { kind: string };
}

const ms = (instr: number, m: CoreModel, clockHz: number): [number, number, number] => {
  const mid = Math.sqrt(m.isaFactor[0] * m.isaFactor[1]);
  return [(instr * m.isaFactor[0] * m.cpi[0]) / clockHz * 1e3, (instr * mid * m.cpiMid) / clockHz * 1e3, (instr * m.isaFactor[1] * m.cpi[1]) / clockHz * 1e3];
};

export type Verdict = 'interpreter OK' | 'borderline' | 'needs AOT' | 'too slow even with AOT';

/**
 * The interpreter is OK when its high estimate meets the target; borderline when its range straddles it;
 * otherwise the board needs AOT, or is too slow even with it when the wasm2c low estimate misses too.
 */
export function verdictOf(wasm3: [number, number, number] | undefined, wasm2c: [number, number, number] | undefined, target = TARGET_MS_PER_SAMPLE): Verdict | null {
  if (!wasm3) return null;
  if (wasm3[2] <= target) return 'interpreter OK';
  if (wasm3[0] <= target) return 'borderline';
  return wasm2c && wasm2c[0] > target ? 'too slow even with AOT' : 'needs AOT';
}

/** One estimate per board and workload that has a count for the board's core; host-tethered boards get none. */
export function estimateBoards(boards: readonly BoardCpu[], counts: CountRow[], workloadsFor: (board: string) => { workload: string; fits: boolean }[], target = TARGET_MS_PER_SAMPLE): BoardEstimate[] {
  const out: BoardEstimate[] = [];
  for (const b of boards) {
    const m = CORE_MODELS[b.cpu.arch];
    if (!m || b.runtime.kind === 'host-tethered') continue;
    for (const { workload, fits } of workloadsFor(b.id)) {
      const row = (rt: CountRuntime) => counts.find((c) => c.workload === workload && c.runtime === rt && c.isa === m.isa);
      const e: BoardEstimate = { board: b.id, core: b.cpu.core, clockHz: b.cpu.clockHz, runtime: b.runtime.kind, workload, fits, isa: m.isa, instructionsPerSample: {}, ms: {}, verdict: null, note: m.note };
      for (const rt of ['wasm2c', 'wasm3'] as const) {
        const r = row(rt);
        if (!r) continue;
        e.instructionsPerSample[rt] = r.instructionsPerSample;
        e.ms[rt] = ms(r.instructionsPerSample, m, b.cpu.clockHz);
      }
      if (!e.ms.wasm2c && !e.ms.wasm3) continue;
      e.verdict = verdictOf(e.ms.wasm3, e.ms.wasm2c, target);
      out.push(e);
    }
  }
  return out;
}

function table(header: string[], rows: (string | number)[][]): string {
  const row = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

const mega = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(1)} k`);
const msText = (r?: [number, number, number]): string => {
  if (!r) return '–';
  const f = (x: number) => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));
  return `${f(r[1])} (${f(r[0])}–${f(r[2])})`;
};

export function boardSpeedMarkdown(run: BoardSpeedRun): string {
  const out: string[] = [];
  const isas = [...new Set(run.counts.map((c) => c.isa))];
  out.push(
    `Generated by \`npx tsx test/bench/board-speed.ts --record\` on ${run.date.slice(0, 10)} at commit ${run.commit.slice(0, 7)}${run.treeDirty ? ' (with uncommitted changes)' : ''}` +
      ` (${run.machine.cores} × ${run.machine.cpu}; ${run.qemu}; ${run.gcc} ${run.opt}, newlib nano, soft float), recorded in` +
      ` \`test/bench/results/board-speed-${run.date.slice(0, 10)}.json\`. **Estimates from instruction counts, not measurements on a board.**`,
  );
  out.push('');
  out.push(
    `Instructions per training sample: the counting image (\`boards/glue/cortex-m/st_mps2_count_main.c\`) replays a training stream` +
      ` under \`qemu-system-arm -icount shift=0\` and times each step (\`st_session_train\`: the module's train step and the input copy,` +
      ` not frame parsing) in SysTick ticks of 40 instructions; (count at 2N samples − count at N) / N, so start-up drops out.` +
      ` Each image was run twice: ${run.counts.every((c) => c.deterministic) ? 'the same count both times' : '**counts differed between runs**'}.` +
      ` Draws: ${run.draws}. Weights after every run ${run.counts.every((c) => c.identicalToV8) ? 'bit-identical to V8' : '**not all bit-identical to V8**'}.` +
      ` wasm3: ${run.wasm3.version ? `${run.wasm3.version}, fetched for the bench and not part of the repository, built with ${run.wasm3.defines.join(' ')}` : `skipped (${run.wasm3.skipped})`}.`,
  );
  out.push('');
  const workloads = [...new Set(run.counts.map((c) => c.workload))];
  const cell = (w: string, rt: CountRuntime, isa: CountIsa) => {
    const c = run.counts.find((x) => x.workload === w && x.runtime === rt && x.isa === isa);
    return c ? mega(c.instructionsPerSample) : '–';
  };
  const rows: (string | number)[][] = [];
  for (const w of workloads) {
    for (const isa of isas) {
      if (!run.counts.some((c) => c.workload === w && c.isa === isa)) continue;
      const a = run.counts.find((x) => x.workload === w && x.runtime === 'wasm2c' && x.isa === isa);
      const i = run.counts.find((x) => x.workload === w && x.runtime === 'wasm3' && x.isa === isa);
      rows.push([w, isa, cell(w, 'wasm2c', isa), cell(w, 'wasm3', isa), a && i ? `${(i.instructionsPerSample / a.instructionsPerSample).toFixed(1)}×` : '–']);
    }
  }
  out.push(table(['workload', 'code for', 'wasm2c (AOT, C)', 'wasm3 (interpreter)', 'wasm3 / wasm2c'], rows));
  out.push('');
  out.push(
    `Per board: ms per sample = instructions × CPI / clock, middle (low–high) over the CPI range of the core` +
      ` (assumptions and reasons in \`test/bench/board-speed-markdown.ts\`). Verdict against ${run.targetMsPerSample} ms per sample` +
      ` with the interpreter the boards ship with: *needs AOT* when even the interpreter's low estimate is above it, *borderline* when its range straddles it,` +
      ` *too slow even with AOT* when the wasm2c low estimate is above it too.`,
  );
  out.push('');
  out.push(
    table(
      ['board', 'clock', 'workload', 'fits the budget', 'wasm2c ms/sample', 'wasm3 ms/sample', `wasm3 at ${run.targetMsPerSample} ms`],
      run.boards.map((b) => [b.board, `${b.clockHz / 1e6} MHz`, b.workload, b.fits ? 'yes' : 'no', msText(b.ms.wasm2c), msText(b.ms.wasm3), b.verdict ?? '–']),
    ),
  );
  const notes = [...new Map(run.boards.map((b) => [b.board, b.note])).entries()];
  out.push('');
  for (const [board, note] of notes) out.push(`- ${board}: ${note}.`);
  out.push(`- arduino-uno: host-tethered (no WebAssembly runtime): the host trains.`);
  out.push(`- With MTJ draws (\`env.mtj_sample\` through a HAL) the board also spends the HAL's sampling time, which these counts leave out.`);
  return out.join('\n');
}

export const replaceBoardSpeed = (readme: string, md: string): string => replaceReadmeSection(readme, 'board-speed', md);
