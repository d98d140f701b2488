/**
 * Helpers of the build specs: `spintrain build` in-process with its console output captured, and the C files
 * of an emitted sketch.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildCommand } from '../../host/commands/build.ts';

/** Runs buildCommand(argv) with console.error and console.log captured: the exit code and both texts. */
export async function buildCaptured(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const origErr = console.error;
  const origLog = console.log;
  console.error = (...a: unknown[]) => void (err += a.join(' ') + '\n');
  console.log = (...a: unknown[]) => void (out += a.join(' ') + '\n');
  try {
    return { code: await buildCommand(argv), err, out };
  } finally {
    console.error = origErr;
    console.log = origLog;
  }
}

/** Every .c under dir, recursively, sorted. */
export const cFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.c')).map((f) => join(dir, f)).sort();
