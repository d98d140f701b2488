/** Runs an external tool synchronously; a non-zero exit (or a spawn failure) throws ToolFailedError with its output. */
import { spawnSync } from 'node:child_process';
import { ToolFailedError } from '../../../host/deploy/errors.ts';

export interface ToolRun {
  stdout: string;
  stderr: string;
  seconds: number;
}

export function runTool(cmd: string, args: string[], opts: { input?: Uint8Array | string; cwd?: string; timeoutMs?: number; allowFailure?: boolean } = {}): ToolRun & { status: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { input: opts.input, cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const status = r.status ?? -1;
  if (r.error || (status !== 0 && !opts.allowFailure)) {
    throw new ToolFailedError(`${cmd} ${args.join(' ')}`, `${r.error ? r.error.message + '\n' : ''}exit ${status}${r.signal ? ` (${r.signal})` : ''}\n${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  }
  return { stdout: r.stdout, stderr: r.stderr, seconds, status };
}
