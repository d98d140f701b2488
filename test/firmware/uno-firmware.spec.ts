/**
 * spintrain's own Uno firmware (boards/firmware/uno/): built from source with Debian's avr-gcc and Arduino
 * core, booted on the emulated Uno, and driven by the unchanged host stack — firmata-io + johnny-five
 * through host/device/firmata-link.ts (the MTJ driver's and the power meter's link). Everything runs in
 * emulated board time.
 */
import { describe, expect, it } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { loadDataset } from '../../host/data/index.ts';
import { type FirmataLink, openFirmataLink } from '../../host/device/firmata-link.ts';
import { defaultNetworkConfig, type NetworkConfig } from '../../host/engine/config.ts';
import { measureTrainingPower } from '../../host/power/measured-training.ts';
import type { PowerClock } from '../../host/power/power-clock.ts';
import { UNO_SKETCH_FLASH_BYTES, UNO_SRAM_BYTES, buildUnoFirmware } from '../harness/uno/build-firmware.ts';
import { EmulatedI2cBus } from '../harness/uno/emulated-i2c-bus.ts';
import { EmulatedIna219 } from '../harness/uno/emulated-ina219.ts';
import { type EmulatedUno, startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { PinEdgeLog } from '../harness/uno/pin-edge-log.ts';
import { skipReason } from '../setup/tool-list.ts';

const skip = skipReason(['avrGcc', 'avrLibc', 'arduinoCoreAvr']);

/** firmata-io's Board, the parts beyond FirmataIo these tests look at. */
interface FirmataBoardState {
  firmware: { name: string; version: { major: number; minor: number } };
  version: { major: number; minor: number };
  pins: { supportedModes: number[]; analogChannel: number; mode?: number; state?: number }[];
  analogPins: number[];
  RESOLUTION: { ADC: number; PWM: number };
  queryPinState(pin: number, cb: () => void): void;
  reset(): void;
}

async function withLink<T>(f: (hil: EmulatedUno, link: FirmataLink, io: FirmataBoardState) => Promise<T>): Promise<T> {
  const hil = await startEmulatedUno({ firmware: 'spintrain', seed: 11 });
  const link = await openFirmataLink({ port: hil.port, clock: hil.clock });
  try {
    return await f(hil, link, link.io as unknown as FirmataBoardState);
  } finally {
    await link.close();
    hil.stop();
  }
}

describe.skipIf(skip)(`spintrain Uno firmware${skip ? ` (${skip})` : ''}`, () => {
  it('builds from source and fits the Uno (32 KiB flash − 512 B bootloader, 2 KiB SRAM)', async () => {
    const fw = await buildUnoFirmware();
    console.log(
      `spintrain Uno firmware: flash ${fw.flashBytes} B of ${UNO_SKETCH_FLASH_BYTES} B, static RAM ${fw.ramBytes} B of ${UNO_SRAM_BYTES} B` +
        `${fw.cached ? ' (cached build)' : ''}: ${fw.hexPath}`,
    );
    expect(fw.hex.startsWith(':')).toBe(true);
    expect(fw.hex.trimEnd().endsWith(':00000001FF')).toBe(true);
    expect(fw.warnings).toBe('');
    expect(fw.flashBytes).toBeGreaterThan(1000);
    expect(fw.flashBytes).toBeLessThanOrEqual(UNO_SKETCH_FLASH_BYTES);
    // leave the stack and the Arduino core's heap at least half the SRAM
    expect(fw.ramBytes).toBeLessThan(UNO_SRAM_BYTES / 2);
    // a second build with nothing changed is the cached one
    const again = await buildUnoFirmware();
    expect(again.cached).toBe(true);
    expect(again.hex).toBe(fw.hex);
  });

  it('firmata-io + johnny-five connect unchanged: firmware "spintrain", Firmata 2.5, the Uno capabilities and analog map', async () => {
    await withLink(async (hil, link, io) => {
      expect(io.firmware.name).toBe('spintrain');
      expect(io.version).toEqual({ major: 2, minor: 5 });
      expect(link.board.isReady).toBe(true);
      // handshake in emulated time: boot, version, name, capabilities, analog mapping
      expect(hil.emulator.timeS).toBeLessThan(0.5);
      expect(io.pins.length).toBe(20);
      expect(io.analogPins).toEqual([14, 15, 16, 17, 18, 19]);
      expect(io.RESOLUTION).toMatchObject({ ADC: 1023, PWM: 255 });
      const m = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, I2C: 6, PULLUP: 11 };
      expect(io.pins[0].supportedModes).toEqual([]); // serial RX
      for (const pin of [3, 9, 10, 11]) expect(io.pins[pin].supportedModes).toEqual(expect.arrayContaining([m.OUTPUT, m.PWM]));
      expect(io.pins[2].supportedModes).not.toContain(m.PWM);
      expect(io.pins[14].supportedModes).toEqual(expect.arrayContaining([m.INPUT, m.OUTPUT, m.ANALOG]));
      expect(io.pins[18].supportedModes).toContain(m.I2C);
      expect(hil.emulator.rxOverruns).toBe(0);
    });
  });

  it('SET_PIN_MODE, DIGITAL_MESSAGE, SET_DIGITAL_PIN_VALUE, ANALOG_MESSAGE (PWM) and PIN_STATE_QUERY act on the pins', async () => {
    await withLink(async (hil, link, io) => {
      const f = link.io;
      const state = (pin: number) => new Promise<{ mode?: number; state?: number }>((r) => io.queryPinState(pin, () => r(io.pins[pin])));
      f.pinMode(7, f.MODES.OUTPUT);
      f.digitalWrite(7, 1);
      expect(await state(7)).toMatchObject({ mode: 1, state: 1 });
      expect(hil.emulator.pinLevel(7)).toBe(1);
      f.digitalWrite(7, 0);
      await state(7);
      expect(hil.emulator.pinLevel(7)).toBe(0);
      // SET_DIGITAL_PIN_VALUE (0xF5 pin value): firmata-io has no call for it, so raw bytes
      hil.port.write(Buffer.from([0xf5, 7, 1]));
      expect(await state(7)).toMatchObject({ mode: 1, state: 1 });
      expect(hil.emulator.pinLevel(7)).toBe(1);
      // PWM on the MTJ current pins: the circuit's RC filter settles to the duty's current within ½ LSB after the
      // profile's settleS (and not 10 ms after the change: two 10 ms poles are then at 26 % of the step)
      const settleS = (hil.profile.mtj!.current as { settleS: number }).settleS;
      const halfLsbA = 0.5 * (2e-3 / 255);
      f.pinMode(9, f.MODES.PWM);
      f.pwmWrite!(9, 128);
      expect(await state(9)).toMatchObject({ mode: 3, state: 128 });
      await hil.clock.delay(settleS);
      expect(Math.abs(hil.circuit.currentA(1) - (128 / 255) * 2e-3)).toBeLessThan(halfLsbA);
      // DIGITAL_MESSAGE leaves PWM pins alone (only OUTPUT pins of the port are written)
      f.digitalWrite(8, 0);
      await state(9);
      await hil.clock.delay(0.01);
      expect(Math.abs(hil.circuit.currentA(1) - (128 / 255) * 2e-3)).toBeLessThan(halfLsbA);
      expect(hil.emulator.rxOverruns).toBe(0);
    });
  });

  it('REPORT_ANALOG reports every SAMPLING_INTERVAL; REPORT_DIGITAL reports input changes; SYSTEM_RESET stops reporting', async () => {
    await withLink(async (hil, link, io) => {
      const f = link.io;
      f.setSamplingInterval!(20);
      const stamps: number[] = [];
      const values: number[] = [];
      f.analogRead(5, (v) => {
        stamps.push(hil.emulator.timeS);
        values.push(v);
      });
      hil.emulator.setAnalogVoltage(5, 2.5);
      await hil.clock.delay(0.5);
      expect(stamps.length).toBeGreaterThan(20);
      const gaps = stamps.slice(2).map((t, i) => t - stamps[i + 1]);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      expect(mean).toBeCloseTo(0.02, 3);
      expect(values.at(-1)).toBeGreaterThanOrEqual(510);
      expect(values.at(-1)).toBeLessThanOrEqual(513);
      // a digital input (pin 12 = PB4, driven from outside): a report when reporting starts, then one per change
      const digital: number[] = [];
      f.pinMode(12, 0 /* INPUT */);
      (f as unknown as { digitalRead(p: number, cb: (v: number) => void): void }).digitalRead(12, (v) => digital.push(v));
      await hil.clock.delay(0.05);
      expect(digital).toEqual([0]);
      hil.emulator.ports.B.setPin(4, true);
      await hil.clock.delay(0.05);
      hil.emulator.ports.B.setPin(4, false);
      await hil.clock.delay(0.05);
      expect(digital).toEqual([0, 1, 0]);
      // SYSTEM_RESET: reporting stops
      io.reset();
      await hil.clock.delay(0.05);
      const n = stamps.length;
      await hil.clock.delay(0.2);
      expect(stamps.length).toBe(n);
    });
  });

  it('I²C (I2C_CONFIG, I2C_REQUEST write / read / continuous / stop → I2C_REPLY): the power meter measures an INA219 through it', async () => {
    const hil = await startEmulatedUno({ firmware: 'spintrain', seed: 12 });
    try {
      const MARKER_PIN = 7;
      const bus = new EmulatedI2cBus(hil.emulator);
      const marker = new PinEdgeLog(hil.emulator, MARKER_PIN);
      const currentA = (t: number) => 0.03 + 0.02 * marker.levelAt(t);
      const chip = new EmulatedIna219({ shuntOhm: 0.1, currentA, busV: () => 5 });
      bus.attach(0x40, chip);
      const clock: PowerClock = { now: () => hil.emulator.timeS, delay: (s) => hil.emulator.delay(s) };
      const config: NetworkConfig = { ...defaultNetworkConfig, layout: [2, 4, 1], output: 'sigmoid', algorithm: 'pgaf', learningRate: 0.5 };
      const samples = 8;
      const run = await measureTrainingPower({
        port: hil.port, clock, profile: arduinoUno, markerPin: MARKER_PIN, data: loadDataset('xor'), config, samples, dwellS: 0.037, baselineS: 0.1,
      });
      expect(chip.reads).toBeGreaterThan(50);
      expect(bus.nacks).toBe(0);
      expect(marker.edges.length).toBe(2 + 2 * samples);
      // marker LOW (idle, forward phases) 30 mA · 5 V; marker HIGH (backward phases) 50 mA · 5 V; within 3 %
      const m = run.measured;
      const power = (p: { energyJ: number; durationS: number }) => p.energyJ / p.durationS;
      expect(Math.abs(m.idlePowerW! / 0.15 - 1)).toBeLessThan(0.03);
      expect(Math.abs(power(m.phases.forward) / 0.15 - 1)).toBeLessThan(0.03);
      expect(Math.abs(power(m.phases.backward) / 0.25 - 1)).toBeLessThan(0.03);
      expect(hil.emulator.rxOverruns).toBe(0);
    } finally {
      hil.stop();
    }
  });
});
