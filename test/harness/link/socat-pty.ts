/**
 * A board program behind a pseudo-terminal, as a serial port for `spintrain board`: socat runs `exec` (a socat
 * address, e.g. `EXEC:./board,pty,raw,echo=0`, or a plain command line) and links a second pty to `path`.
 * Resolves once socat reports its transfer loop running (its own word, no sleep); the child goes into `running`
 * so the caller can kill what is left after the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface PtyBoard {
  path: string;
  stop: () => void;
}

export function socatPtyBoard(socat: string, path: string, exec: string, running: ChildProcess[]): Promise<PtyBoard> {
  rmSync(path, { force: true });
  const child = spawn(socat, ['-d', '-d', `PTY,raw,echo=0,link=${path}`, exec], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c) => {
      err += c;
      if (/starting data transfer loop/.test(err)) resolve({ path, stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`socat exited with ${code}: ${err}`)));
  });
}
