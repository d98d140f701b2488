/** Renders a run directory's report.html (atomically) and returns its path. */
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { buildReportHtml } from './report-html.ts';
import { RUN_FILES, readRunDir } from './run-dir.ts';

export async function writeReport(dir: string): Promise<string> {
  const html = await buildReportHtml(readRunDir(dir));
  const out = join(dir, RUN_FILES.report);
  await writeFileAtomic(out, html);
  return out;
}
