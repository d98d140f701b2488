/**
 * J5Mtj through johnny-five + firmata-io to the GENUINE StandardFirmata running on an emulated Uno
 * (avr8js), with the simulated MTJ circuit on its pins: the same contract suite as the simulation,
 * plus the faults (wrong firmware, missing port, transport closed mid-way).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FirmwareTimeoutError, MtjDeviceError, PortNotFoundError, TransportClosedError } from '../../host/device/errors.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { mtjContract } from '../device/mtj-contract.ts';

mtjContract(
  'J5Mtj on the emulated Uno (StandardFirmata)',
  async () => {
    const hil = await startEmulatedUno({ seed: 21 });
    const array = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
    return { array, cleanup: async () => hil.stop() };
  },
  { drawsPerPoint: 12, sweepPoints: 10, pairs: 150 },
);

describe('J5Mtj faults', () => {
  it('missing serial port → PortNotFoundError naming the port', async () => {
    const m = new J5Mtj({ profile: arduinoUno, port: '/dev/ttySPINTRAIN-NOPE' });
    await expect(m.open()).rejects.toBeInstanceOf(PortNotFoundError);
    await expect(m.open()).rejects.toThrow('/dev/ttySPINTRAIN-NOPE');
  });

  it('a path that is not a serial port → a clean error naming it, at once', async () => {
    const path = fileURLToPath(import.meta.url); // a regular file
    const file = new J5Mtj({ profile: arduinoUno, port: path });
    await expect(file.open()).rejects.toThrow(`${path} is not a serial port (a regular file)`);
    // /dev/null is a character device, but of the memory driver, not a terminal.
    const devNull = new J5Mtj({ profile: arduinoUno, port: '/dev/null' });
    const err = await devNull.open().catch((e) => e);
    expect(err).toBeInstanceOf(MtjDeviceError);
    expect(err.message).toMatch(/^\/dev\/null is not a serial port /);
  });

  it('wrong firmware (no Firmata version report) → FirmwareTimeoutError after the emulated timeout', async () => {
    // A program that only spins (rjmp .-2): never answers Firmata.
    const hil = await startEmulatedUno({ hex: ':02000000FFCF30\n:00000001FF\n', path: 'emulated:blank-uno' });
    try {
      const m = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock, readyTimeoutS: 2 });
      const err = await m.open().catch((e) => e);
      expect(err).toBeInstanceOf(FirmwareTimeoutError);
      expect(String(err.message)).toMatch(/emulated:blank-uno.*Firmata/);
      expect(hil.emulator.timeS).toBeGreaterThanOrEqual(2);
    } finally {
      hil.stop();
    }
  });

  it('transport closed mid-way → TransportClosedError, then every call refuses', async () => {
    const hil = await startEmulatedUno({ seed: 5 });
    try {
      const m = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
      await m.open();
      const bits = await m.sample([{ device: 0, currentA: 2e-3 }]);
      expect(bits[0]).toBe(1);
      // The write current each junction sees at the pulse (the PWM through the board's RC filter) is the quantised
      // request, to within ½ LSB: settleS (90 ms) after a change, two 10 ms poles leave up to 0.31 LSB of a
      // full-scale step, plus ≤ 0.17 LSB of 490 Hz ripple.
      const atPulse: number[] = [];
      const writePulse = hil.circuit.sim.writePulse.bind(hil.circuit.sim);
      hil.circuit.sim.writePulse = (d, currentA, widthS) => {
        atPulse[d] = currentA;
        writePulse(d, currentA, widthS);
      };
      await m.sample([0, 1, 2, 3].map((device) => ({ device, currentA: 0.7e-3 })));
      hil.circuit.sim.writePulse = writePulse;
      const lsbA = 2e-3 / 255;
      for (let d = 0; d < 4; d++) expect(Math.abs(atPulse[d] - m.quantizeCurrentA(d, 0.7e-3)) / lsbA).toBeLessThan(0.5);
      const pending = m.sample([{ device: 1, currentA: 1e-3 }]);
      hil.port.disconnect();
      await expect(pending).rejects.toBeInstanceOf(TransportClosedError);
      await expect(m.sample([{ device: 0, currentA: 0 }])).rejects.toBeInstanceOf(TransportClosedError);
      await m.close();
    } finally {
      hil.stop();
    }
  });

  it('an out-of-range current is refused before any byte reaches the board', async () => {
    const hil = await startEmulatedUno({ seed: 6 });
    try {
      const m = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
      await m.open();
      await m.sample([{ device: 0, currentA: 0 }]);
      let written = 0;
      const write = hil.port.write.bind(hil.port);
      hil.port.write = (d, cb) => ((written += d.length), write(d, cb));
      const err = await m.sample([{ device: 2, currentA: 5e-3 }]).catch((e) => e);
      expect(err.message).toMatch(/requests\[0\]\.currentA \(pin 10\).*\[0\.000 µA, 2000 µA\]/);
      expect(written).toBe(0);
      await m.close();
    } finally {
      hil.stop();
    }
  });
});
