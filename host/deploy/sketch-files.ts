/**
 * What a board build's PlatformIO project (platformio-project.ts) and Arduino library (arduino-library.ts)
 * take from its Arduino sketch: the sketch's files, keyed by their path in the sketch folder DIR/spintrain/
 * ('spintrain.ino', 'st_port_arduino.cpp', 'src/app/st_app.c', 'src/generated/spintrain_board.h', …); the
 * sketch's code under another include; the serial baud; and the runtime library a board user installs.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';

export type SketchFiles = ReadonlyMap<string, Uint8Array | string>;

export const SKETCH_INO = 'spintrain.ino';
export const SKETCH_PORT = 'st_port_arduino.cpp';
/** The one line of spintrain.ino that includes the app (boards/glue/ports/arduino/spintrain.ino). */
export const SKETCH_APP_INCLUDE = '#include "src/app/st_app.h"';

/**
 * The Wasm3 Arduino library (github.com/wasm3/wasm3-arduino): `wasm3/Wasm3` in the PlatformIO registry, `Wasm3`
 * in the Arduino Library Manager. Pinned to 0.5.0, exactly: it is the library's latest release (June 2021) and
 * the API runtime/st_wasm3.c is written and syntax-checked against (boards/glue/api-decl/: wasm3 0.5.0
 * wasm3.h, m3_env.h). The adapter caps linear memory through runtime->memoryLimit, a field of the M3Runtime
 * struct in m3_env.h, which is wasm3's internal header, not its stable API: a range could take in a release
 * that moves it.
 */
export const WASM3_LIBRARY = { platformio: 'wasm3/Wasm3', arduino: 'Wasm3', version: '0.5.0' } as const;

/** What a board user installs for a WAMR board instead: WAMR is in neither registry and has no Arduino platform layer. */
export const WAMR_INSTALL = [
  'WAMR (github.com/bytecodealliance/wasm-micro-runtime, 2.x) is in neither the PlatformIO registry nor the Arduino Library Manager,',
  'and has no Arduino platform layer: build its core/iwasm (interpreter only, the one runtime.wamrInterpreter names; no AOT,',
  'no WASI) with a platform layer for this core, and install it as a library that provides wasm_export.h.',
];

/** A wasm2c build has nothing to install: the module is C in the sketch (src/generated/spintrain.c) with its runtime (src/runtime/). */
export const WASM2C_NOTE = 'The module is compiled in as C, translated ahead of time by wasm2c (wabt 1.0.32): no WebAssembly runtime to install.';

/** The sketch's serial baud: ST_SERIAL_BAUD in spintrain_board.h (c-board-header.ts), 115200 where the profile gives none (USB). */
export function serialBaud(board: BoardProfile): number {
  return board.runtime.baud ?? 115_200;
}

export function sketchText(sketch: SketchFiles, path: string): string {
  const data = sketch.get(path);
  if (data === undefined) throw new Error(`the board sketch has no ${path}`);
  return typeof data === 'string' ? data : new TextDecoder().decode(data);
}

/**
 * The sketch's code (setup(), loop()) with its leading comment replaced by `banner` and its include of the
 * app by `include`: one source for the sketch, the PlatformIO main.cpp and the library's example.
 */
export function sketchCode(ino: string, banner: string[], include: string[]): string {
  const lines = ino.split('\n');
  let start = 0;
  while (start < lines.length && lines[start].startsWith('//')) start++;
  const body = lines.slice(start);
  const at = body.map((l) => l.trim()).flatMap((l, i) => (l === SKETCH_APP_INCLUDE ? [i] : []));
  if (at.length !== 1) throw new Error(`boards/glue/ports/arduino/${SKETCH_INO}: expected the line ${SKETCH_APP_INCLUDE} once, found it ${at.length} times`);
  return [...banner.map((l) => `// ${l}`.trimEnd()), ...body.slice(0, at[0]), ...include, ...body.slice(at[0] + 1)].join('\n');
}
