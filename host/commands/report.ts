/** `spintrain report RUN_DIR`: renders RUN_DIR/report.html from the run directory (host/report/run-dir.ts). */
import { writeReport } from '../report/write-report.ts';
import { CliError } from './errors.ts';
import { parseOptions } from './parse-options.ts';

export const REPORT_USAGE = `spintrain report RUN_DIR
  renders RUN_DIR/report.html (self-contained) from run.json, and calibration.json, power.json and
  power.csv when present (spintrain train --report DIR or spintrain power --out DIR write them)`;

/** The run directory: exactly one non-empty positional, no options (CliError otherwise, exit 2). */
export function parseReportArgs(argv: string[]): string {
  const { positionals } = parseOptions(argv, {}, true);
  if (positionals.length !== 1) throw new CliError('RUN_DIR', `expected one run directory, got ${positionals.length}`);
  if (positionals[0].trim() === '') throw new CliError('RUN_DIR', 'expected a run directory, got ""');
  return positionals[0];
}

export async function reportCommand(argv: string[]): Promise<number> {
  const out = await writeReport(parseReportArgs(argv));
  process.stdout.write(`wrote ${out}\n`);
  return 0;
}
