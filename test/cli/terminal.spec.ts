// The real executable on a terminal: run in a pseudo-terminal by script(1) (util-linux's bsdutils,
// Essential in Debian, so present wherever the suite runs; skipped visibly if not). Checks what a
// person sees: the progress bar with samples/s, ETA and the running loss, cleared at the end, and
// nothing left after the summary (issue 13: a stray spinner character ended `npm start`; that one was
// npm's own, switched off by the project's .npmrc, progress=false, checked below too).
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'host/bin/spintrain.js');

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a shell command line in a pseudo-terminal; resolves with everything the terminal received. */
function onTerminal(command: string): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve) => {
    execFile('script', ['-qefc', command, '/dev/null'], { cwd: ROOT, timeout: 120_000, env: { ...process.env, TERM: 'xterm', COLUMNS: '160' } }, (err, stdout) => {
      const e = err as (Error & { code?: number }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, screen: stdout });
    });
  });
}

/** The screen's text without escape sequences. */
const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');

describe.skipIf(!hasScript())('on a terminal (script(1) pseudo-terminal)', () => {
  it('train shows a progress bar with samples/s, ETA and the running loss, clears it, and ends with the summary', async () => {
    const { code, screen } = await onTerminal(`'${process.execPath}' '${BIN}' train --dataset iris --epochs 3000`);
    expect(code).toBe(0);
    const text = plain(screen);
    expect(text).toMatch(/\d+% \| \d+ samples\/s \| ETA \S+ \| epoch \d+ \| loss \d+\.\d{3} \| test \d+\.\d{2}%/);
    expect(screen).toContain('\x1b[?25l'); // the cursor hidden while the bar runs
    expect(screen).toContain('\x1b[?25h'); // and shown again
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    expect(lines[lines.length - 1]).toMatch(/^kept control/);
    expect(text).not.toMatch(/[\u2800-\u28ff]/); // no braille spinner glyph anywhere
  });

  it('npm start (the project\'s .npmrc): no npm spinner after the run', async () => {
    expect(readFileSync(join(ROOT, '.npmrc'), 'utf8')).toMatch(/^progress=false$/m);
    // npm itself, with the project's config, running the bin on a tiny job (not the default MNIST job)
    const { code, screen } = await onTerminal(`npm exec --offline --no -- spintrain train --dataset xor --epochs 5`);
    expect(code).toBe(0);
    expect(screen).not.toMatch(/[\u2800-\u28ff]/);
    expect(plain(screen)).toMatch(/test accuracy/);
  });
});
