/** `spintrain report RUN_DIR`: renders RUN_DIR/report.html from the run directory (host/report/run-dir.ts). */
import { parseArgs } from 'node:util';
import { writeReport } from '../report/write-report.ts';
import { CliError } from './cli-error.ts';

export const REPORT_USAGE = `spintrain report RUN_DIR
  renders RUN_DIR/report.html (self-contained) from run.json, and calibration.json, power.json and
  power.csv when present (spintrain train --report DIR or spintrain power --out DIR write them)`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, options: {}, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw new CliError('RUN_DIR', `expected one run directory, got ${positionals.length}`);
  const out = await writeReport(positionals[0]);
  process.stdout.write(`wrote ${out}\n`);
  return 0;
}
