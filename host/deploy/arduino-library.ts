/**
 * The board glue as an Arduino library, DIR/arduino-library/spintrain/, which installs as AIfES does: zip the
 * folder and add it with Sketch → Include Library → Add .ZIP Library (or copy it into the sketchbook's
 * libraries/), then open File → Examples → spintrain → <board id>:
 *   library.properties        name=spintrain, version = the package's, author, maintainer, sentence, paragraph,
 *                             category, architectures (the profile's arduino.architectures), includes=spintrain.h,
 *                             depends=Wasm3 for a wasm3 board (the Library Manager installs it; 0.5.0 is the
 *                             version the glue is checked against, sketch-files.ts); a WAMR board names what to
 *                             install in the paragraph instead, a wasm2c build nothing
 *   src/spintrain.h           the header a sketch includes (boards/glue/ports/arduino/spintrain.h)
 *   src/st_port_arduino.cpp   the board port
 *   src/src/app/, src/src/portable/, src/src/hal/, src/src/runtime/, src/src/generated/
 *                             the glue and this build's generated headers (module, weights, config, board, input)
 *   examples/<board id>/<board id>.ino
 *                             the sketch's setup() and loop(), including <spintrain.h>
 * The library's src/ is the sketch folder DIR/spintrain/ without its .ino. The port includes "src/portable/…"
 * and the glue "../generated/…" as in the sketch, and an Arduino library has no include flags, so the layout
 * is kept rather than the includes rewritten. The generated headers sit in the library, not the example: the
 * glue that includes them compiles as part of the library, and the Arduino builder does not put a sketch's
 * folder on a library's include path. So the library is this build's: another board or layout, another
 * `spintrain build`. arduino-cli is not installed where the tests run: they check the files and syntax-check
 * the sources.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import { readFileSync } from 'node:fs';
import { glue } from './glue-sources.ts';
import { SKETCH_INO, SKETCH_PORT, WAMR_INSTALL, WASM2C_NOTE, WASM3_LIBRARY, sketchCode, sketchText, type SketchFiles } from './sketch-files.ts';
import type { RuntimeKind } from './runtime-ram.ts';

export const ARDUINO_LIBRARY_DIR = 'arduino-library/spintrain';
export const LIBRARY_NAME = 'spintrain';
export const LIBRARY_HEADER = 'spintrain.h';
export const LIBRARY_AUTHOR = 'spintrain contributors';

export interface ArduinoLibraryRequest {
  board: BoardProfile;
  sketch: SketchFiles;
  /** The package's version (package.json). */
  version: string;
  /** The build's layout, for the paragraph. */
  layout: readonly number[];
  /** The build's runtime (`--runtime`); default the profile's. */
  runtime?: RuntimeKind;
}

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** library.properties (Arduino library specification 1.5), one key=value a line. */
export function libraryProperties({ board, version, layout, runtime: kind }: Omit<ArduinoLibraryRequest, 'sketch'>): string {
  const target = board.arduino;
  if (!target) throw new Error(`board ${board.id} has no arduino target in its profile`);
  const rt = kind ?? (board.runtime.kind === 'wamr' ? 'wamr' : 'wasm3');
  const wasm3 = rt === 'wasm3';
  const runtime = wasm3
    ? `It runs the module in Wasm3: the Library Manager installs the Wasm3 library (depends); the glue is checked against Wasm3 ${WASM3_LIBRARY.version}.`
    : rt === 'wasm2c'
      ? WASM2C_NOTE
      : `It runs the module in ${rt}: ${WAMR_INSTALL.join(' ')}`;
  const props: [string, string][] = [
    ['name', LIBRARY_NAME],
    ['version', version],
    ['author', LIBRARY_AUTHOR],
    ['maintainer', LIBRARY_AUTHOR],
    ['sentence', `On-device training with spintronic (MTJ) stochastic hardware: the spintrain WebAssembly trainer for ${board.name}.`],
    [
      'paragraph',
      `Built by spintrain build ${version} for ${board.id}, layout ${layout.join('-')}: the module, its weights and configuration are in the library. ` +
        `${runtime} The board trains on its own or from the host over serial (spintrain board train); the draws come from the MTJ daughter board, or the chip's random generator without one.`,
    ],
    ['category', 'Data Processing'],
    ['architectures', target.architectures.join(',')],
    ['includes', LIBRARY_HEADER],
    ...(wasm3 ? [['depends', WASM3_LIBRARY.arduino] as [string, string]] : []),
  ];
  return props.map(([k, v]) => `${k}=${oneLine(v)}`).join('\n') + '\n';
}

/** The library's files, keyed by their path under DIR/arduino-library/spintrain/. */
export function arduinoLibrary(req: ArduinoLibraryRequest): Map<string, Uint8Array | string> {
  const { board, sketch, version } = req;
  const files = new Map<string, Uint8Array | string>();
  files.set('library.properties', libraryProperties(req));
  files.set(`src/${LIBRARY_HEADER}`, readFileSync(glue('ports', 'arduino', LIBRARY_HEADER)));
  for (const [path, data] of sketch) {
    if (path === SKETCH_PORT || path.startsWith('src/')) files.set(`src/${path}`, data);
  }
  const banner = [
    `spintrain ${version} on ${board.name} (spintrain build): the sketch's ${SKETCH_INO} over the spintrain library.`,
    'Install the library (Sketch → Include Library → Add .ZIP Library), pick the board, upload.',
    'Serial protocol: the library\'s src/src/portable/st_protocol.h.',
  ];
  files.set(`examples/${board.id}/${board.id}.ino`, sketchCode(sketchText(sketch, SKETCH_INO), banner, [`#include <${LIBRARY_HEADER}>`]));
  return files;
}
