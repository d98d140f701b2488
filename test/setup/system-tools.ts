/**
 * Installs the system tools the edge-deployment tests need (test/setup/tool-list.ts), from Debian's
 * packages, when they are missing and this process runs as root:
 *   apt-get update && apt-get install -y --no-install-recommends <packages>
 * Not root, or the install fails: prints what is missing and exits 0, so the specs that need the
 * tools are skipped with that reason (except in CI, where they fail). Measured: ~36 s for wabt,
 * gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm on a fresh Debian 12 machine.
 *
 * Usage: tsx test/setup/system-tools.ts           (called from npm's pretest: the tests' tools)
 *        tsx test/setup/system-tools.ts --bench   (also the benchmarks' data: python3-sklearn, dataset-fashion-mnist)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SYSTEM_TOOLS, missingTools, type ToolName } from './tool-list.ts';

function run(cmd: string): boolean {
  const r = spawnSync('sh', ['-c', cmd], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

function main(): number {
  const bench = process.argv.includes('--bench');
  const names = (Object.keys(SYSTEM_TOOLS) as ToolName[]).filter((n) => bench || !('benchOnly' in SYSTEM_TOOLS[n]));
  let missing = missingTools(names);
  if (missing.length === 0) {
    console.log(`system-tools: all ${names.length} present`);
    return 0;
  }
  const packages = [...new Set(missing.map((n) => SYSTEM_TOOLS[n].aptPackage))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasAptGet()) {
    console.warn(`system-tools: missing ${missing.map((n) => SYSTEM_TOOLS[n].probe).join(', ')}; not root or no apt-get, so not installing.`);
    console.warn(`system-tools: install with: apt-get install -y --no-install-recommends ${packages.join(' ')} (the specs that need them are skipped)`);
    return 0;
  }
  console.log(`system-tools: installing ${packages.join(' ')}`);
  const t0 = Date.now();
  const ok = run('apt-get update -qq') && run(`apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`);
  console.log(`system-tools: apt-get ${ok ? 'finished' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  missing = names.filter((n) => !probeAgain(n));
  if (missing.length > 0) console.warn(`system-tools: still missing ${missing.map((n) => SYSTEM_TOOLS[n].probe).join(', ')}`);
  return 0;
}

function hasAptGet(): boolean {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

function probeAgain(n: ToolName): boolean {
  const { probe } = SYSTEM_TOOLS[n];
  return probe.startsWith('/') ? existsSync(probe) : spawnSync('sh', ['-c', `PATH=$(echo "$PATH" | tr ':' '\\n' | grep -v node_modules | paste -sd:) command -v ${probe}`], { stdio: 'ignore' }).status === 0;
}

process.exit(main());
