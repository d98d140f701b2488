/**
 * The PlatformIO project `spintrain build` writes next to the Arduino sketch, DIR/platformio/:
 *   platformio.ini            [env:<board id>]: platform and board from the profile's `platformio` (and its
 *                             options), framework = arduino, monitor_speed = the sketch's baud (ST_SERIAL_BAUD),
 *                             lib_deps = wasm3/Wasm3@0.5.0 for a wasm3 board (sketch-files.ts says why that
 *                             version; a WAMR board gets comments saying what to install instead, a wasm2c build
 *                             needs nothing),
 *                             build_flags = -I$PROJECT_DIR
 *   src/main.cpp              the sketch's spintrain.ino with the #include <Arduino.h> an .ino gets implicitly
 *   src/st_port_arduino.cpp   the board port, as in the sketch
 *   src/app/, src/portable/, src/hal/, src/runtime/, src/generated/
 *                             the glue and this build's generated headers, laid out as in the sketch's src/, so the
 *                             glue's "../portable/…" and "../generated/…" resolve beside each file
 * main.cpp and the port include "src/app/…", "src/portable/…" and "src/generated/…", as they do in the sketch
 * folder: build_flags puts the project folder on the include path for them. `pio run -t upload` builds and
 * flashes it. PlatformIO is not installed where the tests run: they check the file and syntax-check the sources.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import { SKETCH_INO, SKETCH_PORT, WAMR_INSTALL, WASM2C_NOTE, WASM3_LIBRARY, serialBaud, sketchCode, sketchText, type SketchFiles } from './sketch-files.ts';
import type { RuntimeKind } from './runtime-ram.ts';

export const PLATFORMIO_DIR = 'platformio';

/** The include path the sketch's "src/…" includes need, as platformio.ini's build_flags gives it. */
export const PLATFORMIO_BUILD_FLAGS = ['-I$PROJECT_DIR'];

/** platformio.ini for a board that runs the module and has a `platformio` target; `kind`: the build's runtime (default the profile's). */
export function platformioIni(board: BoardProfile, version: string, kind: RuntimeKind = board.runtime.kind === 'wamr' ? 'wamr' : 'wasm3'): string {
  const target = board.platformio;
  if (!target) throw new Error(`board ${board.id} has no platformio target in its profile`);
  const runtime =
    kind === 'wasm3'
      ? [`Runtime: the Wasm3 Arduino library, ${WASM3_LIBRARY.platformio}@${WASM3_LIBRARY.version} (lib_deps), which PlatformIO installs itself.`]
      : kind === 'wasm2c'
        ? [`Runtime: none. ${WASM2C_NOTE}`]
        : [`Runtime: ${kind}. No lib_deps for it:`, ...WAMR_INSTALL, 'Put it under lib/ of this project.'];
  const lines = [
    `; PlatformIO project for spintrain ${version} on ${board.name}, written by \`spintrain build\`.`,
    `; Build and flash: pio run -t upload. Serial monitor: pio device monitor (${serialBaud(board)} baud).`,
    ...runtime.map((l) => `; ${l}`),
    '; build_flags: main.cpp and st_port_arduino.cpp include "src/…" as the Arduino sketch does.',
    '',
    '[platformio]',
    `default_envs = ${board.id}`,
    '',
    `[env:${board.id}]`,
    `platform = ${target.platform}`,
    `board = ${target.board}`,
    'framework = arduino',
    ...Object.entries(target.options ?? {}).map(([k, v]) => `${k} = ${v}`),
    `monitor_speed = ${serialBaud(board)}`,
    ...(kind === 'wasm3' ? ['lib_deps =', `    ${WASM3_LIBRARY.platformio}@${WASM3_LIBRARY.version}`] : []),
    'build_flags =',
    ...PLATFORMIO_BUILD_FLAGS.map((f) => `    ${f}`),
    '',
  ];
  return lines.join('\n');
}

/** The project's files, keyed by their path under DIR/platformio/. */
export function platformioProject(board: BoardProfile, sketch: SketchFiles, version: string, runtime?: RuntimeKind): Map<string, Uint8Array | string> {
  const files = new Map<string, Uint8Array | string>();
  files.set('platformio.ini', platformioIni(board, version, runtime));
  const banner = [
    `spintrain ${version} on ${board.name}: the sketch's ${SKETCH_INO} as PlatformIO's main.cpp (spintrain build).`,
    'Serial protocol: src/portable/st_protocol.h.',
  ];
  files.set('src/main.cpp', sketchCode(sketchText(sketch, SKETCH_INO), banner, ['#include <Arduino.h>', '#include "src/app/st_app.h"']));
  for (const [path, data] of sketch) {
    if (path === SKETCH_PORT) files.set(`src/${SKETCH_PORT}`, data);
    else if (path.startsWith('src/')) files.set(path, data);
  }
  return files;
}
