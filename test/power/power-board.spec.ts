// What a power-measured run takes from the board profile (host/power/measured-training.ts powerBoard,
// checkMarkerPin) and the power command's --board: the Uno's pins and sensor from its profile, and for a
// board that cannot be measured, an error naming the board and the field at fault.
import { describe, expect, it } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { esp32DevkitC } from '../../boards/esp32-devkitc.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { checkMarkerPin, powerBoard } from '../../host/power/measured-training.ts';
import { MarkerPinError } from '../../host/power/errors.ts';
import { BoardProfileError } from '../../host/device/errors.ts';
import { powerCommand } from '../../host/commands/power.ts';
import { CliError } from '../../host/commands/errors.ts';

describe('powerBoard', () => {
  it("the Uno: its power sensor and serial speed from the profile, its Firmata pin numbering", () => {
    const b = powerBoard(arduinoUno);
    expect(b.sensor).toBe(arduinoUno.powerSensor);
    expect(b.baud).toBe(57600);
    expect(b.pins).toEqual({ digitalPins: 20, serialPins: [0, 1], analogBase: 14 });
  });

  it('a board that runs the module itself: BoardProfileError naming the board and runtime.kind', () => {
    expect(() => powerBoard(esp32DevkitC)).toThrow(BoardProfileError);
    expect(() => powerBoard(esp32DevkitC)).toThrow(/esp32-devkitc.*runtime\.kind.*wasm3/);
  });

  it('a host-tethered board without a power sensor, or without a known pin numbering: the field it lacks', () => {
    const { powerSensor: _none, ...bare } = arduinoUno;
    expect(() => powerBoard({ ...bare, id: 'my-board' })).toThrow(/my-board.*powerSensor/);
    const { firmataPins: _pins, ...unnumbered } = arduinoUno;
    expect(() => powerBoard({ ...unnumbered, id: 'arduino-mega' })).toThrow(BoardProfileError);
    expect(() => powerBoard({ ...unnumbered, id: 'arduino-mega' })).toThrow(/arduino-mega.*firmataPins/);
    // the numbering comes from the profile, not from a table keyed by the Uno's id
    expect(powerBoard({ ...arduinoUno, id: 'my-uno-clone' }).pins).toEqual({ digitalPins: 20, serialPins: [0, 1], analogBase: 14 });
  });
});

describe('checkMarkerPin on the Uno', () => {
  it.each([
    [0, 'must be a digital pin 2–19 (0/1 carry the serial link)'],
    [20, 'must be a digital pin 2–19 (0/1 carry the serial link)'],
    [18, 'is an I²C pin (A4 = SDA, A5 = SCL) used by the power sensor'],
    [19, 'is an I²C pin (A4 = SDA, A5 = SCL) used by the power sensor'],
    [3, 'is used by the MTJ wiring of the board profile'],
    [14, 'is used by the MTJ wiring of the board profile'],
  ])('pin %i: %s', (pin, reason) => {
    expect(() => checkMarkerPin(arduinoUno, pin)).toThrow(MarkerPinError);
    expect(() => checkMarkerPin(arduinoUno, pin)).toThrow(`marker pin ${pin} on arduino-uno: ${reason}`);
  });

  it('accepts the free pins (5–8, 12, 13)', () => {
    for (const pin of [5, 6, 7, 8, 12, 13]) checkMarkerPin(arduinoUno, pin);
  });

  it("takes the I²C pins from the profile's power sensor", () => {
    const moved: BoardProfile = { ...arduinoUno, powerSensor: { ...arduinoUno.powerSensor!, sdaPin: 12, sclPin: 'A3' } };
    expect(() => checkMarkerPin(moved, 12)).toThrow(/I²C pin \(12 = SDA, A3 = SCL\)/);
    checkMarkerPin(moved, 18);
  });
});

describe('spintrain power --board', () => {
  it('a board that cannot be measured exits 2 naming --board, the board and the field, before any port is opened', async () => {
    let opened = false;
    const e = await powerCommand(['--port', 'emulated', '--board', 'esp32', '--dataset', 'xor'], () => {
      opened = true;
      return undefined;
    }).catch((x) => x);
    expect(e).toBeInstanceOf(CliError);
    expect(e.message).toMatch(/^--board: .*esp32-devkitc.*runtime\.kind/);
    expect(opened).toBe(false);
  });

  it('an unknown board exits 2 naming the known ones', async () => {
    const e = await powerCommand(['--port', 'emulated', '--board', 'nope', '--dataset', 'xor'], () => undefined).catch((x) => x);
    expect(e).toBeInstanceOf(CliError);
    expect(e.message).toMatch(/^--board: .*nope.*arduino-uno/);
  });
});
