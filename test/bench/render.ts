/**
 * Re-renders the README's results section from a recorded benchmark run, without running anything:
 *   npx tsx test/bench/render.ts [build/bench/latest.json]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resultsMarkdown, replaceResults, type BenchRun } from './results-markdown.ts';
import { writeFileAtomic } from '../../host/io/atomic-write.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const file = process.argv[2] ?? `${root}build/bench/latest.json`;
const run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
const readme = `${root}README.md`;
await writeFileAtomic(readme, replaceResults(readFileSync(readme, 'utf8'), resultsMarkdown(run)));
process.stdout.write(`README.md results section re-rendered from ${file}\n`);
