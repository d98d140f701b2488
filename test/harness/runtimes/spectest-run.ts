/** Runs a spectest script in wabt's interpreter: wast2json, then spectest-interp with post-MVP features disabled. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool } from './run-tool.ts';
import { systemCommand } from './system-command.ts';
import { MVP_DISABLE_FLAGS } from './module-checks.ts';
import { DeployError } from '../../../host/deploy/errors.ts';

/** Returns spectest-interp's stdout and the seconds it took (wast2json excluded). */
export function runSpectest(wast: string, dir: string, name: string): { stdout: string; seconds: number } {
  mkdirSync(dir, { recursive: true });
  const wastPath = join(dir, `${name}.wast`);
  const jsonPath = join(dir, `${name}.json`);
  writeFileSync(wastPath, wast);
  runTool(systemCommand('wast2json'), [...MVP_DISABLE_FLAGS, wastPath, '-o', jsonPath]);
  const r = runTool(systemCommand('spectest-interp'), [...MVP_DISABLE_FLAGS, jsonPath], { allowFailure: true, cwd: dir, timeoutMs: 300_000 });
  if (r.status !== 0 || !/(\d+)\/\1 tests passed/.test(r.stdout)) throw new DeployError(`spectest-interp ${jsonPath} failed (exit ${r.status}):\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return { stdout: r.stdout, seconds: r.seconds };
}
