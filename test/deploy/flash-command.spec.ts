/**
 * `spintrain flash`: the real avrdude writes spintrain's Uno firmware, built from source, over a serial
 * port (a pseudo-terminal made by socat) to the Uno's bootloader. The bootloader is the one stand-in:
 * avr8js implements no SPM instruction, so the genuine optiboot cannot write flash in the emulator, and a
 * model of its STK500v1 command loop (test/harness/uno/optiboot-model.ts) takes the pages. The flash the
 * model holds afterwards is then run on an emulated Uno and must answer Firmata as "spintrain".
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import intelHex from 'nrf-intel-hex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { flashCommand } from '../../host/commands/flash.ts';
import { CliError } from '../../host/commands/errors.ts';
import { FlashError } from '../../host/deploy/errors.ts';
import { planFlash, avrdudeReason } from '../../host/deploy/flash-board.ts';
import { buildUnoFirmware } from '../../host/deploy/uno-firmware.ts';
import { openFirmataLink } from '../../host/device/firmata-link.ts';
import type { PortInfo } from '../../host/device/port-list.ts';
import { IntelHexError } from '../../host/io/errors.ts';
import { decodeIntelHex } from '../../host/io/intel-hex.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { OptibootModel } from '../harness/uno/optiboot-model.ts';
import { startOptibootPty } from '../harness/uno/optiboot-pty.ts';
import { skipReason } from '../setup/tool-list.ts';

type MemoryMapClass = typeof intelHex.default;
const MemoryMap: MemoryMapClass = ((intelHex as unknown as { default?: MemoryMapClass }).default ?? intelHex) as unknown as MemoryMapClass;

const skip = skipReason(['avrdude', 'socat', 'avrGcc', 'avrLibc', 'arduinoCoreAvr']);
const dir = mkdtempSync(join(tmpdir(), 'spintrain-flash-'));
const lister = (info: Omit<PortInfo, 'path'>, path: string) => ({ list: async () => [{ path, ...info }] });
const UNO_USB = { vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' };

afterEach(() => vi.restoreAllMocks());

function quiet(): () => string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return () => out;
}

describe.skipIf(skip)(`spintrain flash, avrdude to the Uno's bootloader over a pseudo-terminal${skip ? ` (${skip})` : ''}`, () => {
  it('writes the firmware built from source; the written flash runs and answers Firmata as "spintrain"', async () => {
    const path = join(dir, 'ttyACM0');
    const pty = await startOptibootPty(path);
    try {
      const out = quiet();
      expect(await flashCommand(['--port', path, '--json'], { lister: lister(UNO_USB, path) })).toBe(0);
      const r = JSON.parse(out().trim().split('\n').pop()!);
      expect(r).toMatchObject({ board: 'arduino-uno', port: path, dryRun: false, written: true });
      expect(r.command.slice(1)).toEqual(['-p', 'atmega328p', '-c', 'arduino', '-P', path, '-b', '115200', '-D', '-U', `flash:w:${r.hex}:i`]);
    } finally {
      await pty.close();
    }
    const fw = await buildUnoFirmware();
    const image = decodeIntelHex(fw.hex, fw.hexPath);
    expect(pty.model.left).toBe(true); // avrdude ended programming: the board starts the new program
    expect(Array.from(pty.model.flash.subarray(0, image.bytes.length))).toEqual(Array.from(image.bytes));
    expect(pty.model.flash.subarray(image.bytes.length).every((b) => b === 0xff)).toBe(true);
    // the bytes the bootloader holds, run on an emulated Uno
    const hex = new MemoryMap({ 0: pty.model.flash.slice(0, image.bytes.length) }).asHexString();
    const hil = await startEmulatedUno({ hex, seed: 2 });
    try {
      const link = await openFirmataLink({ port: hil.port, clock: hil.clock });
      expect((link.io as unknown as { firmware: { name: string } }).firmware.name).toBe('spintrain');
      await link.close();
    } finally {
      hil.stop();
    }
  });

  it('refuses a port whose USB ids are another board, before avrdude runs: nothing written', async () => {
    const path = join(dir, 'ttyACM1');
    const pty = await startOptibootPty(path);
    try {
      quiet();
      const leonardo = { vendorId: '2341', productId: '8036', manufacturer: 'Arduino LLC' };
      const err = await flashCommand(['--port', path], { lister: lister(leonardo, path) }).catch((e) => e);
      expect(err).toBeInstanceOf(FlashError);
      expect(err.message).toBe(
        `${path} is a USB device 2341:8036 (Arduino LLC), not Arduino Uno R3 (StandardFirmata, host-tethered): expected one of ${arduinoUno.flash!.usbIds.join(', ')}; nothing was written`,
      );
    } finally {
      await pty.close();
    }
    expect(pty.model.written).toBe(0);
  });

  it('another MCU behind the bootloader: avrdude refuses on its signature, and the error says so', async () => {
    const path = join(dir, 'ttyUSB0');
    const pty = await startOptibootPty(path, new OptibootModel([0x1e, 0x95, 0x14])); // ATmega328 (not P)
    try {
      quiet();
      const err = await flashCommand(['--port', path], { lister: lister({}, path) }).catch((e) => e);
      expect(err).toBeInstanceOf(FlashError);
      expect(err.message).toMatch(new RegExp(`^avrdude failed on ${path}: the board is not the expected MCU \\(.*1E 95 0F`, 'i'));
    } finally {
      await pty.close();
    }
    expect(pty.model.written).toBe(0);
  });

  it('--dry-run checks the image, the size and avrdude, prints the command, and opens no port', async () => {
    const out = quiet();
    expect(await flashCommand(['--dry-run', '--json'])).toBe(0);
    const r = JSON.parse(out().trim());
    expect(r).toMatchObject({ board: 'arduino-uno', port: null, dryRun: true, written: false });
    expect(r.bytes).toBeGreaterThan(1000);
    expect(r.command).not.toContain('-P');
  });
});

describe('spintrain flash: arguments and files, checked before any port', () => {
  it.each([
    [['--board', 'esp32'], '--board', /esp32-devkitc has no spintrain firmware to flash .* use spintrain build/],
    [['--board', 'mega'], '--board', /unknown board "mega"/],
    [[], '--port', /is required \(or --dry-run/],
    [['--port', ' '], '--port', /expected the path of a serial port/],
  ])('%j → CliError naming %s', async (argv, option, message) => {
    const err = await flashCommand(argv as string[]).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.option).toBe(option);
    expect(err.message).toMatch(message);
  });

  it('a damaged or oversized --hex names the file (and the line); nothing runs', async () => {
    const good = join(dir, 'good.hex');
    writeFileSync(good, ':0400000001020304F2\n:00000001FF\n');
    const findAvrdude = () => '/usr/bin/avrdude';
    const plan = await planFlash({ board: arduinoUno, hexFile: good, findAvrdude });
    expect(Array.from(plan.image.bytes)).toEqual([1, 2, 3, 4]);
    const bad = join(dir, 'bad.hex');
    writeFileSync(bad, ':0400000001020304F2\n:04000400010203040F\n:00000001FF\n');
    const e1 = await planFlash({ board: arduinoUno, hexFile: bad, findAvrdude }).catch((e) => e);
    expect(e1).toBeInstanceOf(IntelHexError);
    expect(e1.message).toBe(`${bad}: line 2: checksum does not match`);
    const cut = join(dir, 'cut.hex');
    writeFileSync(cut, ':0400000001020304F2\n');
    expect((await planFlash({ board: arduinoUno, hexFile: cut, findAvrdude }).catch((e) => e)).message).toMatch(/no end-of-file record/);
    const big = join(dir, 'big.hex');
    writeFileSync(big, ':047E00000102030474\n:00000001FF\n'); // data at 0x7E00: the bootloader's place
    const e2 = await planFlash({ board: arduinoUno, hexFile: big, findAvrdude }).catch((e) => e);
    expect(e2).toBeInstanceOf(FlashError);
    expect(e2.message).toMatch(/ends at byte 32260, past the 32256 bytes a sketch may use/);
    const none = await planFlash({ board: arduinoUno, hexFile: good, findAvrdude: () => undefined }).catch((e) => e);
    expect(none.message).toBe('avrdude not found on PATH (apt-get install avrdude)');
  });

  it("avrdude's report → the reason the user reads", () => {
    expect(avrdudeReason('avrdude warning: attempt 10 of 10: not in sync: resp=0x00\navrdude error: unable to open programmer arduino on port /dev/ttyACM0\n')).toMatch(
      /^no bootloader answered \(unable to open programmer arduino on port \/dev\/ttyACM0\); press reset/,
    );
  });
});
