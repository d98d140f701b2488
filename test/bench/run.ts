/**
 * `npm run bench [-- --quick]`: the benchmark run behind the README's results section.
 * Runs the accuracy/operations/energy benchmark (test/bench/accuracy.ts) and the speed benchmark
 * (test/bench/speed.ts), writes build/bench/run-<date>.json and build/bench/latest.json, and — for a
 * full run — regenerates the README between its results markers.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runAccuracyBench } from './accuracy.ts';
import { runSpeedBench } from './speed.ts';
import { runProfile } from './profile.ts';
import { runBoardBench } from './boards.ts';
import { machineInfo } from './lib/machine.ts';
import { resultsMarkdown, replaceResults, targetsOf, type BenchRun } from './results-markdown.ts';
import { writeFileAtomic } from '../../host/io/atomic-write.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const quick = process.argv.includes('--quick');
const t0 = performance.now();
const date = new Date().toISOString();
const machine = machineInfo();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
})();
const log = (s: string): void => void process.stdout.write(s + '\n');
// Pin the module: every job (and child process) of this run trains with the same build.
mkdirSync(`${root}build/bench`, { recursive: true });
const pinned = `${root}build/bench/spintrain-${commit.slice(0, 10)}.wasm`;
copyFileSync(`${root}build/spintrain.wasm`, pinned);
process.env.SPINTRAIN_WASM = pinned;

log(`spintrain bench${quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
log('— speed —');
const speed = await runSpeedBench({ quick, log });
log('— profile —');
const profile = await runProfile({ quick, log });
log('— accuracy, operations, energy —');
const accuracy = await runAccuracyBench({ quick, log, parallel: quick ? 1 : 2 });
log('— boards: largest MNIST net per board, trained —');
const boards = await runBoardBench({ quick, log, parallel: quick ? 1 : 2, trainLimit: quick ? 2000 : undefined });
const run: BenchRun = {
  date,
  command: `npm run bench${quick ? ' -- --quick' : ''}`,
  commit,
  machine,
  accuracy,
  speed,
  profile,
  boards,
  seconds: (performance.now() - t0) / 1000,
};
mkdirSync(`${root}build/bench`, { recursive: true });
const json = JSON.stringify(run, null, 1) + '\n';
writeFileSync(`${root}build/bench/run-${date.replace(/[:.]/g, '-')}.json`, json);
writeFileSync(`${root}build/bench/latest.json`, json);
const md = resultsMarkdown(run);
log('\n' + md + '\n');
for (const t of targetsOf(run)) log(`${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}`);
if (!quick) {
  const readme = `${root}README.md`;
  await writeFileAtomic(readme, replaceResults(readFileSync(readme, 'utf8'), md));
  log('README.md results section regenerated');
}
