/**
 * The optiboot model behind a pseudo-terminal: `socat PTY,link=<path>,raw,echo=0 STDIO` (Debian's socat)
 * makes a serial-port-like device at `path` whose bytes reach the model through socat's stdio; avrdude
 * (or `spintrain flash`) opens `path` as it would open /dev/ttyACM0.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { OptibootModel } from './optiboot-model.ts';

export interface OptibootPty {
  path: string;
  model: OptibootModel;
  close(): Promise<void>;
}

export async function startOptibootPty(path: string, model = new OptibootModel()): Promise<OptibootPty> {
  const socat: ChildProcessWithoutNullStreams = spawn('socat', [`PTY,link=${path},raw,echo=0`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
  socat.stdout.on('data', (d: Buffer) => {
    const reply = model.feed(d);
    if (reply.length) socat.stdin.write(reply);
  });
  const exited = new Promise<void>((resolve) => socat.on('close', () => resolve()));
  // the link appears once socat has opened the pty (a few ms); bounded by socat's own exit
  for (let i = 0; i < 500 && !existsSync(path); i++) {
    if (socat.exitCode !== null) throw new Error(`socat exited (${socat.exitCode}) before creating ${path}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!existsSync(path)) throw new Error(`socat did not create ${path}`);
  return {
    path,
    model,
    close: async () => {
      socat.kill();
      await exited;
    },
  };
}
