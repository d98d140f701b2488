/** Where the board glue's C sources live, and which of them each build uses. */
import { packagePath } from '../package-root.ts';
import { join } from 'node:path';
import { existsSync } from 'node:fs';

export const GLUE_DIR = packagePath('boards', 'glue') + '/';

/** The runtime-independent part: engine calls, session setup, weights reader, serial protocol (frames, CRC-16), import bridge, input transform. */
export const PORTABLE_SOURCES = [
  'portable/st_engine.c', 'portable/st_errors.c', 'portable/st_session.c', 'portable/st_weights.c', 'portable/st_protocol.c', 'portable/st_frame.c', 'portable/st_crc16.c', 'portable/st_mtj.c',
  'portable/st_input.c',
];

export const glue = (...parts: string[]): string => join(GLUE_DIR, ...parts);

/** Directory holding wasm2c's runtime (wasm-rt-impl.c/.h): Debian's wabt puts it in /usr/share/wabt/wasm2c. */
export function wasm2cRuntimeDir(): string | undefined {
  return ['/usr/share/wabt/wasm2c', '/usr/src/wasm2c', '/usr/local/share/wabt/wasm2c'].find((d) => existsSync(join(d, 'wasm-rt-impl.c')));
}
