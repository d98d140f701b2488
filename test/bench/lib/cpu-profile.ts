/**
 * CPU profile of a training run: builds the engine with a name section (same code, function names kept),
 * runs profile-workload.ts under `node --cpu-prof`, and sums self time per function.
 * self time of a function = Σ timeDeltas of the samples whose leaf frame is that function.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PROFILING_WASM = join(ROOT, 'build/spintrain.prof.wasm');

/** Builds build/spintrain.prof.wasm: the release target plus --debug (a name section; asconfig.json untouched). */
export function buildProfilingWasm(): string {
  const asc = join(ROOT, 'node_modules/.bin/asc');
  execFileSync(asc, ['assembly/index.ts', '--target', 'release', '--debug', '-o', 'build/spintrain.prof.wasm', '-t', 'build/spintrain.prof.wat'], { cwd: ROOT, stdio: 'pipe' });
  return PROFILING_WASM;
}

export interface ProfileEntry {
  function: string;
  kind: 'wasm' | 'js' | 'native' | 'gc' | 'idle' | 'program';
  /** Self time [ms]. */
  selfMs: number;
  /** Share of the run's sampled time [0..1]. */
  share: number;
  /** Share of the time spent inside WebAssembly functions [0..1] (wasm entries only). */
  wasmShare?: number;
}

export interface CpuProfileSummary {
  algorithm: string;
  samples: number;
  /** samples/s the workload reported (under the profiler). */
  rate: number;
  /** Sampled time [ms]: of the timed training window when `windowed`, else of the whole process. */
  totalMs: number;
  /** Whether the summary covers the timed training window only. */
  windowed: boolean;
  /** Time in WebAssembly functions [ms]. */
  wasmMs: number;
  top: ProfileEntry[];
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  startTime: number;
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function kindOf(name: string, url: string): ProfileEntry['kind'] {
  if (url.startsWith('wasm://')) return 'wasm';
  if (name === '(garbage collector)') return 'gc';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'program';
  return url === '' ? 'native' : 'js';
}

/**
 * Self time per function, largest first; only samples inside `window` [µs, profile clock] when given and
 * overlapping the profile (else all samples).
 */
export function summariseCpuProfile(
  profile: CpuProfile,
  topN: number,
  window?: { startUs: number; endUs: number },
): { totalMs: number; wasmMs: number; top: ProfileEntry[]; windowed: boolean } {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { kind: ProfileEntry['kind']; us: number }>();
  const stamps: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) stamps.push((t += d));
  const windowed = window !== undefined && stamps.some((s) => s >= window.startUs && s <= window.endUs);
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    if (windowed && (stamps[i] < window.startUs || stamps[i] > window.endUs)) return;
    // timeDeltas[i + 1] is the time until the next sample: the time this sample stands for.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const node = byNode.get(id);
    if (!node) return;
    const { functionName, url } = node.callFrame;
    const kind = kindOf(functionName, url);
    const shortUrl = url.startsWith('wasm://') ? '' : url.replace(/^.*\/(?=[^/]+\/[^/]+$)/, '');
    const key = (functionName || '(anonymous)') + (shortUrl && kind === 'js' ? ` ${shortUrl}` : '');
    const entry = self.get(key) ?? { kind, us: 0 };
    entry.us += dt;
    self.set(key, entry);
    totalUs += dt;
  });
  const wasmUs = [...self.values()].filter((e) => e.kind === 'wasm').reduce((s, e) => s + e.us, 0);
  const top = [...self.entries()]
    .sort((a, b) => b[1].us - a[1].us)
    .slice(0, topN)
    .map(([fn, e]) => ({
      function: fn,
      kind: e.kind,
      selfMs: e.us / 1000,
      share: totalUs > 0 ? e.us / totalUs : 0,
      ...(e.kind === 'wasm' && wasmUs > 0 ? { wasmShare: e.us / wasmUs } : {}),
    }));
  return { totalMs: totalUs / 1000, wasmMs: wasmUs / 1000, top, windowed };
}

/** Profiles `samples` training samples of `algorithm` with the named engine build in a child process. */
export function profileTraining(algorithm: 'bp' | 'pgaf', samples: number, opts: { wasm: string; topN?: number; intervalUs?: number }): CpuProfileSummary {
  const dir = join(ROOT, 'build/bench/cpuprof');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', String(opts.intervalUs ?? 200), '--import', 'tsx', 'test/bench/lib/profile-workload.ts', algorithm, String(samples), opts.wasm],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim().split('\n').slice(-8).join('\n');
    throw new Error(`cpu profile: the workload failed (${opts.wasm}):\n${stderr}`);
  }
  const run = JSON.parse(out.trim().split('\n').pop()!) as { rate: number; windowStartUs: number; windowEndUs: number };
  const window = { startUs: run.windowStartUs, endUs: run.windowEndUs };
  // tsx may start a loader thread with its own profile: the main thread's is the one with wasm frames (the largest).
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`cpu profile: no .cpuprofile written in ${dir}`);
  const summaries = files.map((f) => summariseCpuProfile(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile, opts.topN ?? 12, window));
  const main = summaries.sort((a, b) => b.wasmMs - a.wasmMs || b.totalMs - a.totalMs)[0];
  return { algorithm, samples, rate: run.rate, ...main };
}
