/**
 * The machine's scalar integer multiply-accumulate rate, the bound the engine's MACs/s is compared with.
 *
 * Kernels (acc += (i64) a[i] · (i64) b[i], i32 operands, i64 accumulator — the engine's arithmetic):
 *   wasm-dense   dense dot product over L1-resident arrays, AssemblyScript → WebAssembly, run by this V8
 *   wasm-gather  the engine's forward loop shape: acc += val[t] · w[row + idx[t]] (3 loads per MAC)
 *   c-dense      the dense kernel in C, gcc -O2 -fno-tree-vectorize (native scalar), when gcc is present
 * rate [MAC/s] = MACs / wall seconds; each kernel is timed as many short calls after a warm-up, best of `repeats`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import asc from 'assemblyscript/asc';

const KERNEL_AS = `
// i32 × i32 → i64 multiply-accumulate kernels over linear memory.
export function dense(a: usize, b: usize, n: i32, reps: i32): i64 {
  let acc: i64 = 0;
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 2;
      acc += <i64>load<i32>(a + o) * <i64>load<i32>(b + o);
    }
    // Perturb one operand so that no repetition can be folded away.
    store<i32>(a, load<i32>(a) + 1);
  }
  return acc;
}

// acc_j = Σ_t val[t] · w[j·rowBytes + idx[t]] for each row j (the engine's sparse forward layer).
export function gather(w: usize, idx: usize, val: usize, nnz: i32, rows: i32, rowBytes: i32, reps: i32): i64 {
  let total: i64 = 0;
  for (let r = 0; r < reps; r++) {
    let row = w;
    for (let j = 0; j < rows; j++) {
      let acc: i64 = 0;
      for (let t = 0; t < nnz; t++) {
        const off = <usize>t << 2;
        acc += <i64>load<i32>(val + off) * <i64>load<i32>(row + <usize>load<i32>(idx + off));
      }
      total += acc;
      row += <usize>rowBytes;
    }
    store<i32>(val, load<i32>(val) + 1);
  }
  return total;
}
`;

const KERNEL_C = `
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
__attribute__((noinline)) static int64_t dense(int32_t *a, const int32_t *b, int n, int reps) {
  int64_t acc = 0;
  for (int r = 0; r < reps; r++) {
    for (int i = 0; i < n; i++) acc += (int64_t)a[i] * (int64_t)b[i];
    a[0] += 1;
  }
  return acc;
}
int main(int argc, char **argv) {
  int n = atoi(argv[1]), reps = atoi(argv[2]), repeats = atoi(argv[3]);
  int32_t *a = malloc(n * 4), *b = malloc(n * 4);
  for (int i = 0; i < n; i++) { a[i] = (i * 2654435761u) >> 8; b[i] = (i * 40503u) ^ 0x5bd1; }
  int64_t sink = dense(a, b, n, reps / 10 + 1);
  double best = 1e30;
  for (int k = 0; k < repeats; k++) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sink += dense(a, b, n, reps);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    if (s < best) best = s;
  }
  printf("%.6f %lld\\n", best, (long long)sink);
  return 0;
}
`;

export interface MacKernelRate {
  kernel: 'wasm-dense' | 'wasm-gather' | 'c-dense';
  description: string;
  /** MACs per timed call. */
  macs: number;
  /** Best wall time of a call [s]. */
  seconds: number;
  /** macs / seconds [MAC/s]. */
  macsPerSecond: number;
}

export interface MacBound {
  kernels: MacKernelRate[];
  /** Why the C kernel is missing, when it is. */
  cSkipped?: string;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  dense(a: number, b: number, n: number, reps: number): bigint;
  gather(w: number, idx: number, val: number, nnz: number, rows: number, rowBytes: number, reps: number): bigint;
}

/**
 * Compiles the AssemblyScript kernels (release optimisation, like the engine) and instantiates them
 * asynchronously: compiled synchronously (new WebAssembly.Module), these long-looping kernels were observed to
 * stay ~10× slower in V8 12.4 on a busy machine (baseline code, never tiered up), while `node --no-liftoff`
 * gave the same rates as this path. The engine's own rate is the same with and without --no-liftoff.
 */
async function compileKernels(): Promise<KernelExports> {
  const r = await asc.compileString(KERNEL_AS, { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', noAssert: true, initialMemory: 16 });
  if (!r.binary) throw new Error(`MAC kernel: AssemblyScript compilation failed: ${r.stderr.toString()}`);
  const abort = (): never => {
    throw new Error('MAC kernel aborted');
  };
  const { instance } = await WebAssembly.instantiate(r.binary as Uint8Array<ArrayBuffer>, { env: { abort } });
  return instance.exports as unknown as KernelExports;
}

/**
 * Best wall time [s] of `calls` short calls, over `repeats` windows. Warm-up runs calls for at least
 * `warmupMs` first: V8 compiles WebAssembly with its baseline compiler (Liftoff) and swaps in the optimised
 * (TurboFan) code only at a later call, in the background, so long single calls would time baseline code.
 */
function best(repeats: number, calls: number, warmupMs: number, call: () => void): number {
  const w0 = performance.now();
  while (performance.now() - w0 < warmupMs) call();
  let s = Infinity;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    for (let c = 0; c < calls; c++) call();
    s = Math.min(s, (performance.now() - t0) / 1000);
  }
  return s;
}

/**
 * Measures the kernels. Shapes follow the benchmark net: 784 operands (dense), 150 nonzero inputs × 128 rows
 * of 784 weights (gather, as MNIST's ~19% nonzero pixels); `reps` scales the work per call.
 */
export async function measureMacBound(opts: { quick: boolean; repeats?: number }): Promise<MacBound> {
  const repeats = opts.repeats ?? (opts.quick ? 3 : 5);
  const warmupMs = opts.quick ? 300 : 1000;
  const k = await compileKernels();
  const n = 784;
  const heap = 1024; // leave the first KiB alone
  const u32 = new Int32Array(k.memory.buffer);
  const a = heap;
  const b = a + 4 * n;
  for (let i = 0; i < n; i++) {
    u32[a / 4 + i] = (i * 2654435761) >>> 8;
    u32[b / 4 + i] = (i * 40503) ^ 0x5bd1;
  }
  const kernels: MacKernelRate[] = [];
  const denseReps = opts.quick ? 20_000 : 100_000; // per window, as 1000 calls
  const denseS = best(repeats, 1000, warmupMs, () => void k.dense(a, b, n, denseReps / 1000));
  kernels.push({ kernel: 'wasm-dense', description: 'dense i32·i32→i64 dot product (784), WebAssembly in this V8', macs: n * denseReps, seconds: denseS, macsPerSecond: (n * denseReps) / denseS });

  const nnz = 150;
  const rows = 128;
  const w = b + 4 * n;
  const idx = w + 4 * n * rows;
  const val = idx + 4 * nnz;
  for (let i = 0; i < n * rows; i++) u32[w / 4 + i] = (i * 2246822519) >> 12;
  for (let t = 0; t < nnz; t++) {
    u32[idx / 4 + t] = 4 * Math.floor((t * n) / nnz);
    u32[val / 4 + t] = 1000 + t;
  }
  const gatherReps = opts.quick ? 200 : 1000; // per window, one pass (128 rows) per call, like a sample's layer
  const gatherS = best(repeats, gatherReps, warmupMs, () => void k.gather(w, idx, val, nnz, rows, 4 * n, 1));
  const gatherMacs = nnz * rows * gatherReps;
  kernels.push({ kernel: 'wasm-gather', description: 'engine-shaped sparse gather (150 nonzero × 128 rows of 784), WebAssembly', macs: gatherMacs, seconds: gatherS, macsPerSecond: gatherMacs / gatherS });

  let cSkipped: string | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'spintrain-mac-'));
  try {
    writeFileSync(join(dir, 'mac.c'), KERNEL_C);
    execFileSync('gcc', ['-O2', '-fno-tree-vectorize', '-o', join(dir, 'mac'), join(dir, 'mac.c')], { stdio: 'pipe' });
    const out = execFileSync(join(dir, 'mac'), [String(n), String(denseReps), String(repeats)], { encoding: 'utf8' });
    const seconds = Number(out.trim().split(/\s+/)[0]);
    if (!(seconds > 0)) throw new Error(`unexpected output ${JSON.stringify(out)}`);
    kernels.push({ kernel: 'c-dense', description: 'dense dot product (784) in C, gcc -O2 -fno-tree-vectorize (scalar)', macs: n * denseReps, seconds, macsPerSecond: (n * denseReps) / seconds });
  } catch (e) {
    cSkipped = `C kernel skipped: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { kernels, ...(cSkipped ? { cSkipped } : {}) };
}
