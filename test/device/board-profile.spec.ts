import { describe, expect, it } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { validateBoardProfile } from '../../boards/board-profile.ts';
import { BoardProfileError } from '../../boards/errors.ts';

const clone = () => structuredClone(arduinoUno) as unknown as Record<string, any>;

describe('board profiles', () => {
  it('the Uno profile is valid', () => {
    expect(validateBoardProfile(arduinoUno).id).toBe('arduino-uno');
  });

  it.each([
    ['cpu.clockHz', (p: any) => (p.cpu.clockHz = -1)],
    ['mtj.read.adcPins[1]', (p: any) => (p.mtj.read.adcPins[1] = 1.5)],
    ['mtj.current.pins', (p: any) => p.mtj.current.pins.pop()],
    ['mtj.current.rcPoles', (p: any) => (p.mtj.current.rcPoles = 3)],
    ['mtj.reset.pin', (p: any) => (p.mtj.reset.pin = p.mtj.pulse.pin)],
    ['mtj.limits.maxCurrentA', (p: any) => (p.mtj.limits.maxCurrentA = 1)],
    ['mtj.read.thresholdV', (p: any) => (p.mtj.read.thresholdV = 9)],
    ['energyPj.mtjWrite', (p: any) => delete p.energyPj.mtjWrite],
    ['runtime.kind', (p: any) => (p.runtime = { kind: 'tflm' })],
    ['firmataPins.serialPins[1]', (p: any) => (p.firmataPins.serialPins[1] = 20)],
    ['firmataPins.analogBase', (p: any) => (p.firmataPins.analogBase = -1)],
  ])('rejects a bad %s with an error naming the field', (field, mutate) => {
    const p = clone();
    mutate(p);
    const err = (() => {
      try {
        validateBoardProfile(p);
      } catch (e) {
        return e as BoardProfileError;
      }
    })();
    expect(err).toBeInstanceOf(BoardProfileError);
    expect(err!.field).toBe(field);
    expect(err!.message).toContain(`board profile arduino-uno: field ${field}`);
  });

  it('mtj.current.rcPoles is optional (one pole) or 1 or 2', () => {
    for (const rcPoles of [undefined, 1, 2]) {
      const p = clone();
      if (rcPoles === undefined) delete p.mtj.current.rcPoles;
      else p.mtj.current.rcPoles = rcPoles;
      expect(validateBoardProfile(p).mtj!.current).toMatchObject({ kind: 'pwm-rc' });
    }
  });

  it('fits a wasm-running board (runtime memory limit checked against RAM)', () => {
    const esp = {
      ...clone(),
      id: 'esp32-s3',
      cpu: { arch: 'xtensa', core: 'ESP32-S3 LX7', clockHz: 240e6 },
      memory: { ramBytes: 512 * 1024, flashBytes: 8 * 1024 * 1024 },
      runtime: { kind: 'wasm3', wasmMemoryLimitBytes: 64 * 1024, transport: 'serial' },
    };
    expect(validateBoardProfile(esp).runtime.kind).toBe('wasm3');
    esp.runtime.wasmMemoryLimitBytes = 1024 * 1024;
    expect(() => validateBoardProfile(esp)).toThrow(/runtime\.wasmMemoryLimitBytes/);
  });
});
