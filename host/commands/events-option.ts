/** `--events FILE|-`: one JSON object per line, to stdout ('-') or to a file (truncated first), for dashboards and scripts. */
import { appendFileSync, writeFileSync } from 'node:fs';
import { isSystemError, writeErrorFor } from '../io/write-error.ts';

/** Writes one event; undefined when --events was not given. */
export type EventWriter = ((e: Record<string, unknown>) => void) | undefined;

/** Opens the --events target: a file that cannot be written is a write error naming it (exit 1). */
export function openEvents(target: string): (e: Record<string, unknown>) => void {
  if (target === '-') return (e) => void process.stdout.write(JSON.stringify(e) + '\n');
  try {
    writeFileSync(target, '');
  } catch (e) {
    if (isSystemError(e)) throw writeErrorFor(target, e);
    throw e;
  }
  return (e) => appendFileSync(target, JSON.stringify(e) + '\n');
}
