/**
 * `spintrain train … --json` run in this process for a benchmark: stdout captured, the last line parsed as the
 * run's summary; a non-zero exit throws with the arguments.
 */
import { main } from '../../../host/cli.ts';
import type { TrainSummary } from '../../../host/train/train-summary.ts';

export async function trainJson(argv: string[]): Promise<TrainSummary> {
  const out: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((s: string | Uint8Array): boolean => {
    out.push(typeof s === 'string' ? s : Buffer.from(s).toString());
    return true;
  }) as typeof process.stdout.write;
  let rc: number;
  try {
    rc = await main(['train', ...argv, '--json']);
  } finally {
    process.stdout.write = write;
  }
  if (rc !== 0) throw new Error(`spintrain train ${argv.join(' ')}: exit ${rc}`);
  return JSON.parse(out.join('').trim().split('\n').pop()!) as TrainSummary;
}
