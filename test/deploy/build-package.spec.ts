// What a board user installs: `spintrain build` writes, next to the Arduino sketch, a PlatformIO project
// (DIR/platformio/, host/deploy/platformio-project.ts) and the glue as an Arduino library
// (DIR/arduino-library/spintrain/, host/deploy/arduino-library.ts). For every wasm3 board this checks:
//   - build.json lists exactly the files on disk, both packages' included;
//   - platformio.ini, parsed as INI: the board's environment (platform and board from the profile, as the table
//     below expects them; framework, monitor_speed = the sketch's ST_SERIAL_BAUD, lib_deps = wasm3/Wasm3@0.5.0,
//     build_flags) and no other key;
//   - library.properties, parsed as key=value: every field;
//   - both layouts hold the sketch's glue and generated headers byte for byte, and main.cpp / the example are the
//     sketch's code under another include;
//   - the sources compile (-fsyntax-only, C and C++) against the declaration-only headers of boards/glue/api-decl/
//     with the include paths each tool gives: PlatformIO's src/ and include/ plus platformio.ini's build_flags
//     (and without those flags main.cpp does not compile), the Arduino builder's library src/; natively (cc, c++)
//     and for Cortex-M3 (arm-none-eabi-gcc/g++ -mcpu=cortex-m3 -mthumb) where those are installed.
// A WAMR profile gets no lib_deps and no depends, and says what to install instead; a profile without
// `platformio`/`arduino` gets neither package; bad values of those fields are refused naming the field.
// PlatformIO and arduino-cli are not installed here and cannot be: Debian has neither package, the machine
// reaches no network but npm and Debian's apt, and both would download each board's platform, core and
// toolchain from their registries to build. So nothing here runs them, and they are not mocked: the files are
// checked as text, and the C/C++ against api-decl/, not against the boards' cores or the Wasm3 library.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildForBoard } from '../../host/deploy/build-board.ts';
import { platformioIni } from '../../host/deploy/platformio-project.ts';
import { libraryProperties } from '../../host/deploy/arduino-library.ts';
import { BOARDS } from '../../boards/index.ts';
import { teensy41 } from '../../boards/teensy41.ts';
import { esp32DevkitC } from '../../boards/esp32-devkitc.ts';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { validateBoardProfile, type BoardProfile } from '../../boards/board-profile.ts';
import { BoardProfileError } from '../../boards/errors.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { skipReason } from '../setup/tool-list.ts';

const OUT = fileURLToPath(new URL('../../build/test-build-package/', import.meta.url));
const LAYOUT = [4, 8, 3];
const VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
const DECL = `-I${glue('api-decl')}`;

/** What each wasm3 board's packages must say: PlatformIO platform, board and extra options; Arduino architectures. */
const EXPECTED: Record<string, { platform: string; board: string; options?: Record<string, string>; architectures: string[] }> = {
  'esp32-devkitc': { platform: 'espressif32', board: 'esp32dev', architectures: ['esp32'] },
  'nrf52840-nano33ble': { platform: 'nordicnrf52', board: 'nano33ble', architectures: ['mbed_nano', 'mbed'] },
  // Arduino-Pico (the port calls rp2040.hwrand32()): PlatformIO's raspberrypi platform only has the mbed core
  'rp2040-pico': { platform: 'https://github.com/maxgerhardt/platform-raspberrypi.git', board: 'pico', options: { 'board_build.core': 'earlephilhower' }, architectures: ['rp2040'] },
  'teensy41': { platform: 'teensy', board: 'teensy41', architectures: ['avr'] },
};
const WASM3_BOARDS = BOARDS.filter((b) => b.runtime.kind === 'wasm3');

/** INI as PlatformIO reads it (Python configparser): sections, `key = value`, indented continuation lines, `;`/`#` comment lines. */
function parseIni(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  let last: string[] | undefined;
  for (const [n, line] of text.split('\n').entries()) {
    if (/^\s*([;#].*)?$/.test(line)) continue;
    const head = /^\[([^\]]+)\]\s*$/.exec(line);
    if (head) {
      if (sections.has(head[1])) throw new Error(`line ${n + 1}: section [${head[1]}] twice`);
      sections.set(head[1], (section = new Map()));
      last = undefined;
    } else if (/^\s/.test(line)) {
      if (!last) throw new Error(`line ${n + 1}: continuation without a key`);
      last.push(line.trim());
    } else {
      const kv = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
      if (!kv || !section) throw new Error(`line ${n + 1}: not "key = value" in a section: ${line}`);
      if (section.has(kv[1])) throw new Error(`line ${n + 1}: ${kv[1]} twice`);
      section.set(kv[1], (last = kv[2] === '' ? [] : [kv[2]]));
    }
  }
  return sections;
}

/** library.properties: one key=value a line, no key twice. */
function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const i = line.indexOf('=');
    expect(i, line).toBeGreaterThan(0);
    expect(props.has(line.slice(0, i)), line).toBe(false);
    props.set(line.slice(0, i), line.slice(i + 1));
  }
  return props;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

/** The code of a sketch file without its leading comment and without the given include lines. */
const code = (text: string, drop: string[]): string[] => {
  const lines = text.split('\n');
  let i = 0;
  while (lines[i].startsWith('//')) i++;
  return lines.slice(i).filter((l) => !drop.includes(l));
};

const boardHeaderBaud = (dir: string): number => Number(/#define ST_SERIAL_BAUD (\d+)/.exec(readFileSync(join(dir, 'spintrain/src/generated/spintrain_board.h'), 'utf8'))![1]);

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  for (const b of WASM3_BOARDS) await buildForBoard({ board: b.id, outDir: join(OUT, b.id), network: { layout: LAYOUT } });
}, 240_000);

it('every wasm3 board has its PlatformIO and Arduino targets', () => {
  expect(WASM3_BOARDS.map((b) => b.id).sort()).toEqual(Object.keys(EXPECTED).sort());
});

describe.each(WASM3_BOARDS.map((b) => [b.id, b] as const))('spintrain build --board %s: what a board user installs', (id, board) => {
  const dir = join(OUT, id);
  const pio = join(dir, 'platformio');
  const lib = join(dir, 'arduino-library/spintrain');
  const want = EXPECTED[id];
  const sketchFiles = () => walk(join(dir, 'spintrain')).map((f) => relative(join(dir, 'spintrain'), f));

  it('build.json lists exactly the files written, both packages included', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8')) as { files: string[] };
    const onDisk = walk(dir).map((f) => relative(dir, f)).filter((f) => f !== 'build.json').sort();
    expect(manifest.files).toEqual(onDisk);
    expect(manifest.files).toEqual(expect.arrayContaining([
      'platformio/platformio.ini', 'platformio/src/main.cpp', 'platformio/src/st_port_arduino.cpp', 'platformio/src/generated/spintrain_module.h',
      'arduino-library/spintrain/library.properties', 'arduino-library/spintrain/src/spintrain.h', `arduino-library/spintrain/examples/${id}/${id}.ino`,
      'arduino-library/spintrain/src/src/generated/spintrain_weights.h',
    ]));
  });

  it('platformio.ini: the board environment, and nothing else', () => {
    const ini = parseIni(readFileSync(join(pio, 'platformio.ini'), 'utf8'));
    expect([...ini.keys()]).toEqual(['platformio', `env:${id}`]);
    expect(Object.fromEntries(ini.get('platformio')!)).toEqual({ default_envs: [id] });
    const env = Object.fromEntries(ini.get(`env:${id}`)!);
    const baud = boardHeaderBaud(dir);
    expect(baud).toBe(board.runtime.baud ?? 115200);
    expect(env).toEqual({
      platform: [want.platform],
      board: [want.board],
      framework: ['arduino'],
      ...Object.fromEntries(Object.entries(want.options ?? {}).map(([k, v]) => [k, [v]])),
      monitor_speed: [String(baud)],
      lib_deps: ['wasm3/Wasm3@0.5.0'],
      build_flags: ['-I$PROJECT_DIR'],
    });
  });

  it('PlatformIO src/: the sketch\'s glue and headers in the same layout, main.cpp = spintrain.ino with <Arduino.h>', () => {
    for (const f of sketchFiles()) {
      const to = f === 'spintrain.ino' ? 'src/main.cpp' : f.startsWith('src/') ? f : `src/${f}`;
      expect(existsSync(join(pio, to)), to).toBe(true);
      if (f !== 'spintrain.ino') expect(readFileSync(join(pio, to)).equals(readFileSync(join(dir, 'spintrain', f))), to).toBe(true);
    }
    expect(walk(join(pio, 'src')).length).toBe(sketchFiles().length);
    const main = readFileSync(join(pio, 'src/main.cpp'), 'utf8');
    expect(code(main, [])[0]).toBe('#include <Arduino.h>');
    expect(code(main, ['#include <Arduino.h>'])).toEqual(code(readFileSync(join(dir, 'spintrain/spintrain.ino'), 'utf8'), []));
  });

  it('library.properties: every field', () => {
    const props = parseProperties(readFileSync(join(lib, 'library.properties'), 'utf8'));
    expect([...props.keys()]).toEqual(['name', 'version', 'author', 'maintainer', 'sentence', 'paragraph', 'category', 'architectures', 'includes', 'depends']);
    expect(props.get('name')).toBe('spintrain');
    expect(props.get('version')).toBe(VERSION);
    expect(props.get('author')).toBe('spintrain contributors');
    expect(props.get('maintainer')).toBe('spintrain contributors');
    expect(props.get('sentence')).toContain(board.name);
    expect(props.get('paragraph')).toContain(`for ${id}, layout ${LAYOUT.join('-')}`);
    expect(props.get('paragraph')).toContain('Wasm3 0.5.0');
    // one of the categories of the Arduino library specification
    expect(['Display', 'Communication', 'Signal Input/Output', 'Sensors', 'Device Control', 'Timing', 'Data Storage', 'Data Processing', 'Other']).toContain(props.get('category'));
    expect(props.get('category')).toBe('Data Processing');
    expect(props.get('architectures')!.split(',')).toEqual(want.architectures);
    expect(props.get('includes')).toBe('spintrain.h');
    expect(props.get('depends')).toBe('Wasm3');
  });

  it('the library: src/ is the sketch folder without its .ino, plus spintrain.h; the example is the sketch over <spintrain.h>', () => {
    for (const f of sketchFiles().filter((f) => f !== 'spintrain.ino')) {
      expect(readFileSync(join(lib, 'src', f)).equals(readFileSync(join(dir, 'spintrain', f))), f).toBe(true);
    }
    expect(readFileSync(join(lib, 'src/spintrain.h'), 'utf8')).toBe(readFileSync(glue('ports/arduino/spintrain.h'), 'utf8'));
    expect(walk(join(lib, 'src')).length).toBe(sketchFiles().length); // − spintrain.ino + spintrain.h
    expect(readdirSync(join(lib, 'examples'))).toEqual([id]);
    expect(readdirSync(join(lib, 'examples', id))).toEqual([`${id}.ino`]); // an example folder is named as its .ino
    const example = readFileSync(join(lib, `examples/${id}/${id}.ino`), 'utf8');
    expect(code(example, ['#include <spintrain.h>'])).toEqual(code(readFileSync(join(dir, 'spintrain/spintrain.ino'), 'utf8'), ['#include "src/app/st_app.h"']));
    expect(code(example, [])[0]).toBe('#include <spintrain.h>');
  });

  /** The compiler runs of both layouts, with the include paths PlatformIO and the Arduino builder give. */
  const compileBoth = (c: string, cxx: string, target: string[]) => {
    const ini = parseIni(readFileSync(join(pio, 'platformio.ini'), 'utf8'));
    const flags = ini.get(`env:${id}`)!.get('build_flags')!.map((f) => f.replace('$PROJECT_DIR', pio));
    const pioIncludes = [`-I${join(pio, 'include')}`, `-I${join(pio, 'src')}`, ...flags]; // PlatformIO's CPPPATH, then build_flags
    const cFiles = (root: string) => walk(root).filter((f) => f.endsWith('.c'));
    runTool(c, [...target, '-std=c11', '-Wall', '-Werror', '-fsyntax-only', DECL, ...pioIncludes, ...cFiles(join(pio, 'src'))]);
    runTool(cxx, [...target, '-std=c++17', '-Wall', '-fsyntax-only', DECL, ...pioIncludes, join(pio, 'src/main.cpp'), join(pio, 'src/st_port_arduino.cpp')]);
    // the Arduino builder compiles the library's src/ recursively with src/ on the include path; the example as a sketch (Arduino.h implicit)
    const libIncludes = [`-I${join(lib, 'src')}`];
    runTool(c, [...target, '-std=c11', '-Wall', '-Werror', '-fsyntax-only', DECL, ...libIncludes, ...cFiles(join(lib, 'src'))]);
    runTool(cxx, [...target, '-std=c++17', '-Wall', '-fsyntax-only', DECL, ...libIncludes, join(lib, 'src/st_port_arduino.cpp')]);
    runTool(cxx, [...target, '-std=c++17', '-Wall', '-fsyntax-only', DECL, ...libIncludes, '-include', 'Arduino.h', '-x', 'c++', join(lib, `examples/${id}/${id}.ino`)]);
    // without build_flags, main.cpp's "src/app/st_app.h" does not resolve: the flag is needed, not decoration
    const bare = runTool(cxx, [...target, '-std=c++17', '-fsyntax-only', DECL, `-I${join(pio, 'include')}`, `-I${join(pio, 'src')}`, join(pio, 'src/main.cpp')], { allowFailure: true });
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toContain('src/app/st_app.h');
  };

  it.skipIf(skipReason(['cc']))('PlatformIO src/ and the library (src + example) compile natively, C and C++ (-fsyntax-only against api-decl/)', () => {
    compileBoth('cc', 'c++', []);
  });

  it.skipIf(skipReason(['armGcc', 'armNewlib']))('… and for Cortex-M3 (arm-none-eabi-gcc/g++ -mcpu=cortex-m3 -mthumb -fsyntax-only)', () => {
    compileBoth('arm-none-eabi-gcc', 'arm-none-eabi-g++', ['-mcpu=cortex-m3', '-mthumb']);
  });
});

describe('other profiles', () => {
  const wamr = (): BoardProfile =>
    validateBoardProfile({ ...teensy41, id: 'wamr-test', name: 'WAMR test board', runtime: { kind: 'wamr', wasmMemoryLimitBytes: 128 * 1024, transport: 'usb' } });

  it('a WAMR board: no lib_deps and no depends; both say what to install instead', () => {
    const ini = platformioIni(wamr(), VERSION);
    const env = parseIni(ini).get('env:wamr-test')!;
    expect([...env.keys()]).toEqual(['platform', 'board', 'framework', 'monitor_speed', 'build_flags']);
    expect(ini).toMatch(/^; Runtime: wamr\. No lib_deps for it:$/m);
    expect(ini).toContain('; WAMR (github.com/bytecodealliance/wasm-micro-runtime, 2.x) is in neither the PlatformIO registry nor the Arduino Library Manager,');
    const props = parseProperties(libraryProperties({ board: wamr(), version: VERSION, layout: LAYOUT }));
    expect(props.has('depends')).toBe(false);
    expect(props.get('paragraph')).toContain('It runs the module in wamr: WAMR (github.com/bytecodealliance/wasm-micro-runtime, 2.x) is in neither');
    expect(props.get('architectures')).toBe('avr');
  });

  it.skipIf(skipReason(['cc']))('a WAMR board\'s packages carry the WAMR adapter, and compile against api-decl/', async () => {
    const out = join(OUT, 'wamr');
    await buildForBoard({ board: wamr(), outDir: out, network: { layout: LAYOUT } });
    const pioSrc = join(out, 'platformio/src');
    expect(existsSync(join(pioSrc, 'runtime/st_wamr.c'))).toBe(true);
    expect(existsSync(join(pioSrc, 'runtime/st_wasm3.c'))).toBe(false);
    expect(existsSync(join(out, 'arduino-library/spintrain/src/src/runtime/st_wamr.c'))).toBe(true);
    runTool('cc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', DECL, ...walk(pioSrc).filter((f) => f.endsWith('.c'))]);
  });

  it('a profile without platformio or arduino gets neither package', async () => {
    const { platformio: _p, arduino: _a, ...rest } = esp32DevkitC;
    const out = join(OUT, 'bare');
    const r = await buildForBoard({ board: validateBoardProfile({ ...rest, id: 'bare-esp32' }), outDir: out, network: { layout: LAYOUT } });
    expect(existsSync(join(out, 'platformio'))).toBe(false);
    expect(existsSync(join(out, 'arduino-library'))).toBe(false);
    expect(existsSync(join(out, 'spintrain/spintrain.ino'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8')) as { files: string[] };
    expect(manifest.files.filter((f) => !f.startsWith('spintrain/'))).toEqual(['spintrain.wasm', 'weights.stw']);
    expect(r.files.length).toBe(manifest.files.length + 1);
  });

  it.each([
    [{ platformio: { platform: 'espressif32\nboard = x', board: 'esp32dev' } }, 'platformio.platform'],
    [{ platformio: { platform: 'espressif32 ;x', board: 'esp32dev' } }, 'platformio.platform'],
    [{ platformio: { platform: 'espressif32', board: 'esp32 dev' } }, 'platformio.board'],
    [{ platformio: { platform: 'espressif32' } }, 'platformio.board'],
    [{ platformio: 'espressif32' }, 'platformio'],
    [{ platformio: { platform: 'espressif32', board: 'esp32dev', options: { lib_deps: 'x' } } }, 'platformio.options.lib_deps'],
    [{ platformio: { platform: 'espressif32', board: 'esp32dev', options: { 'Board Build': 'x' } } }, 'platformio.options.Board Build'],
    [{ platformio: { platform: 'espressif32', board: 'esp32dev', options: { 'board_build.core': ' x' } } }, 'platformio.options.board_build.core'],
    [{ arduino: { architectures: [] } }, 'arduino.architectures'],
    [{ arduino: { architectures: ['esp32', 'esp32'] } }, 'arduino.architectures'],
    [{ arduino: { architectures: ['ESP32'] } }, 'arduino.architectures[0]'],
    [{ arduino: ['esp32'] }, 'arduino'],
  ])('a bad profile field is refused naming it: %j', (patch, field) => {
    expect(() => validateBoardProfile({ ...esp32DevkitC, ...patch })).toThrow(BoardProfileError);
    expect(() => validateBoardProfile({ ...esp32DevkitC, ...patch })).toThrow(`field ${field} `);
  });

  it('the Uno, which runs no module, may have neither field', () => {
    expect(() => validateBoardProfile({ ...arduinoUno, platformio: { platform: 'atmelavr', board: 'uno' } })).toThrow('field platformio applies only to a board that runs the module');
    expect(() => validateBoardProfile({ ...arduinoUno, arduino: { architectures: ['avr'] } })).toThrow('field arduino applies only to a board that runs the module');
  });
});
