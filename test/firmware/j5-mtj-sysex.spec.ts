/**
 * J5Mtj's fast path on spintrain's own firmware (emulated Uno + MTJ board): the MtjArray contract suite through
 * MTJ_SAMPLE requests, then what the path itself promises: detection, one request per batch with nothing else
 * sent while it runs, the bits of each request in place, an error status as MtjSampleError, a missing reply as
 * BoardResponseTimeoutError in board time, several boards in one process and re-opening.
 */
import { describe, expect, it } from 'vitest';
import { arduinoUnoSpintrain } from '../../boards/arduino-uno-spintrain.ts';
import { BoardResponseTimeoutError, FirmwareMismatchError, FirmwareTimeoutError } from '../../host/device/errors.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { MtjSampleError, MTJ_SAMPLE_STATUS } from '../../host/device/spintrain-sysex.ts';
import { EmulatedSerialPort } from '../harness/uno/emulated-serial-port.ts';
import { type EmulatedUno, startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { mtjContract } from '../device/mtj-contract.ts';
import { skipReason } from '../setup/tool-list.ts';

const skip = skipReason(['avrGcc', 'avrLibc', 'arduinoCoreAvr']) !== false;

mtjContract(
  'J5Mtj on the emulated Uno (spintrain firmware, MTJ_SAMPLE fast path)',
  async () => {
    const hil = await startEmulatedUno({ firmware: 'spintrain', seed: 21 });
    const array = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
    return {
      array,
      cleanup: async () => {
        if (array.samplingPath !== 'spintrain-sysex') throw new Error(`sampled through ${array.samplingPath}, not the sysex`);
        if (!(array.sysexTraffic!.requests > 0)) throw new Error('no MTJ_SAMPLE request was sent');
        if (hil.emulator.rxOverruns !== 0) throw new Error(`${hil.emulator.rxOverruns} receive overruns on the emulated Uno`);
        hil.stop();
      },
    };
  },
  { drawsPerPoint: 12, sweepPoints: 10, pairs: 150, skip },
);

mtjContract(
  'J5Mtj on the emulated Uno with the fast MTJ board (arduino-uno-spintrain: 250000 baud, 31.37 kHz PWM, 1.6 ms settling)',
  async () => {
    const hil = await startEmulatedUno({ firmware: 'spintrain', seed: 22, profile: arduinoUnoSpintrain });
    const array = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
    return {
      array,
      cleanup: async () => {
        if (array.samplingPath !== 'spintrain-sysex') throw new Error(`sampled through ${array.samplingPath}, not the sysex`);
        if (hil.emulator.rxOverruns !== 0) throw new Error(`${hil.emulator.rxOverruns} receive overruns on the emulated Uno`);
        hil.stop();
      },
    };
  },
  { drawsPerPoint: 12, sweepPoints: 10, pairs: 150, skip },
);

async function openFast(seed: number): Promise<{ hil: EmulatedUno; mtj: J5Mtj }> {
  const hil = await startEmulatedUno({ firmware: 'spintrain', seed });
  const mtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
  await mtj.open();
  return { hil, mtj };
}

/** Bytes the host writes to the board while `f` runs. */
async function written<T>(hil: EmulatedUno, f: () => Promise<T>): Promise<{ result: T; writes: number[][] }> {
  const writes: number[][] = [];
  const write = hil.port.write.bind(hil.port);
  hil.port.write = (d, cb) => (writes.push([...d]), write(d, cb));
  try {
    return { result: await f(), writes };
  } finally {
    hil.port.write = write;
  }
}

describe.skipIf(skip)('J5Mtj fast path (MTJ_SAMPLE sysex)', () => {
  it('detects the firmware; sysex: false keeps the plain Firmata path on it', async () => {
    const { hil, mtj } = await openFast(41);
    try {
      expect(mtj.samplingPath).toBe('spintrain-sysex');
      expect(mtj.prefersBatchedDraws).toBe(true);
      await mtj.close();
      const plain = new J5Mtj({ profile: hil.profile, port: new EmulatedSerialPort(hil.emulator, 'emulated:plain'), clock: hil.clock, sysex: false });
      await plain.open();
      expect(plain.samplingPath).toBe('firmata');
      expect(plain.prefersBatchedDraws).toBe(false);
      expect(plain.sysexTraffic).toBeNull();
      expect(Array.from(await plain.sample([{ device: 0, currentA: 2e-3 }, { device: 1, currentA: 0 }]))).toEqual([1, 0]);
      await plain.close();
    } finally {
      hil.stop();
    }
  });

  it('one request per batch, nothing else sent while it runs, every bit in its place', async () => {
    const { hil, mtj } = await openFast(42);
    try {
      // 300 rounds of the 4 junctions at fixed currents: one request (16 bytes: F0 01 mask count×2 settle×2 duty×8 F7;
      // settle: the profile's 90 ms = 9000 units of 10 µs = 40 + 70·128)
      const reqs = Array.from({ length: 300 }, () => [0, 1, 2, 3].map((device) => ({ device, currentA: device % 2 ? 2e-3 : 0 }))).flat();
      const pulses = hil.circuit.pulses;
      const { result: bits, writes } = await written(hil, () => mtj.sample(reqs));
      expect(writes).toEqual([[0xf0, 0x01, 0x0f, 300 & 0x7f, 300 >> 7, 40, 70, 0, 0, 0x7f, 1, 0, 0, 0x7f, 1, 0xf7]]);
      expect(hil.circuit.pulses - pulses).toBe(300);
      expect(Array.from(bits)).toEqual(reqs.map((r) => (r.device % 2 ? 1 : 0)));
      // any order, repeated devices, changing currents: runs split where the devices or codes change
      const mixed = [
        { device: 2, currentA: 2e-3 },
        { device: 0, currentA: 0 },
        { device: 2, currentA: 2e-3 },
        { device: 0, currentA: 0 },
        { device: 3, currentA: 0 },
        { device: 1, currentA: 2e-3 },
        { device: 1, currentA: 0 },
        { device: 1, currentA: 2e-3 },
      ];
      const before = mtj.sysexTraffic!.requests;
      const out = await mtj.sample(mixed);
      expect(Array.from(out)).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
      // runs: {2,0} twice at the same codes (one request, count 2), {3,1}, {1} at 0, {1} at 2 mA: 4 requests
      expect(mtj.sysexTraffic!.requests - before).toBe(4);
      expect(hil.emulator.rxOverruns).toBe(0);
    } finally {
      await mtj.close();
      hil.stop();
    }
  });

  it('an error status raises MtjSampleError naming the port and the status; the board keeps serving', async () => {
    const { hil, mtj } = await openFast(43);
    try {
      // cut the request short with a command byte (REPORT_VERSION): the board answers INTERRUPTED
      const write = hil.port.write.bind(hil.port);
      hil.port.write = (d, cb) => {
        const b = [...d];
        if (b[0] === 0xf0 && b[1] === 0x01) return write(Buffer.from([...b.slice(0, 4), 0xf9, ...b.slice(4)]), cb);
        return write(d, cb);
      };
      const err = await mtj.sample([{ device: 0, currentA: 1e-3 }]).catch((e) => e);
      hil.port.write = write;
      expect(err).toBeInstanceOf(MtjSampleError);
      expect(err.status).toBe(MTJ_SAMPLE_STATUS.interrupted);
      expect(err.message).toMatch(/emulated:uno.*status 5 INTERRUPTED/);
      expect(Array.from(await mtj.sample([{ device: 0, currentA: 2e-3 }, { device: 1, currentA: 0 }]))).toEqual([1, 0]);
    } finally {
      await mtj.close();
      hil.stop();
    }
  });

  it('a reply that never comes raises BoardResponseTimeoutError after the timeout in board time', async () => {
    const { hil, mtj } = await openFast(44);
    try {
      const write = hil.port.write.bind(hil.port);
      hil.port.write = (d, cb) => ([...d][1] === 0x01 ? (cb?.(null), true) : write(d, cb)); // the request is lost
      const t0 = hil.emulator.timeS;
      const err = await mtj.sample([{ device: 0, currentA: 1e-3 }]).catch((e) => e);
      hil.port.write = write;
      expect(err).toBeInstanceOf(BoardResponseTimeoutError);
      expect(err.message).toMatch(/no MTJ_SAMPLE reply from emulated:uno within/);
      expect(hil.emulator.timeS - t0).toBeGreaterThanOrEqual(2);
      expect(Array.from(await mtj.sample([{ device: 0, currentA: 2e-3 }]))).toEqual([1]);
    } finally {
      await mtj.close();
      hil.stop();
    }
  });

  it('a profile that needs spintrain firmware refuses StandardFirmata, and names the flash command', async () => {
    // The emulated link has no baud rate, so StandardFirmata answers the fast board's profile and is refused by
    // its name; on a real port at 250000 baud it would not answer at all (FirmwareTimeoutError with the same hint).
    const std = await startEmulatedUno({ firmware: 'standard-firmata', seed: 48, profile: arduinoUnoSpintrain });
    try {
      const mtj = new J5Mtj({ profile: arduinoUnoSpintrain, port: std.port, clock: std.clock });
      const err = await mtj.open().catch((e) => e);
      expect(err).toBeInstanceOf(FirmwareMismatchError);
      expect(err.message).toMatch(
        /^board on emulated:uno runs StandardFirmata\S* 2\.\d+, and its profile needs spintrain 0\.2 or later .*spintrain flash --board arduino-uno-spintrain --port emulated:uno$/,
      );
      expect(mtj.isOpen).toBe(false);
    } finally {
      std.stop();
    }
    expect(new FirmwareTimeoutError('/dev/ttyACM0', 10, 'flash it').message).toBe('no Firmata version report from /dev/ttyACM0 within 10 s: flash it');
  });

  it('several boards in one process, a foreign 0x01 handler, and re-opening', async () => {
    const a = await openFast(45);
    const b = await openFast(46);
    try {
      const n = 200;
      const on = (dev: number, currentA: number) => Array.from({ length: n }, () => ({ device: dev, currentA }));
      const [ba, bb] = await Promise.all([a.mtj.sample(on(0, 2e-3)), b.mtj.sample(on(0, 0))]);
      expect(ba.every((x) => x === 1)).toBe(true);
      expect(bb.every((x) => x === 0)).toBe(true);
      // something else takes firmata-io's shared 0x01 entry: the next request installs the dispatcher again
      const io = (b.mtj as unknown as { io: { clearSysexResponse(c: number): void; sysexResponse(c: number, h: () => void): void } }).io;
      io.clearSysexResponse(0x01);
      io.sysexResponse(0x01, () => undefined);
      expect(Array.from(await b.mtj.sample([{ device: 1, currentA: 2e-3 }]))).toEqual([1]);
      // re-open board A on a new port (resets it)
      await a.mtj.close();
      const again = new J5Mtj({ profile: a.hil.profile, port: new EmulatedSerialPort(a.hil.emulator, 'emulated:again'), clock: a.hil.clock });
      await again.open();
      expect(again.samplingPath).toBe('spintrain-sysex');
      const bits = await again.sample([{ device: 3, currentA: 2e-3 }, { device: 2, currentA: 0 }]);
      expect(Array.from(bits)).toEqual([1, 0]);
      // Pins 9 and 10 (timer 1) carry their PWM right after the reset: the junctions see the requested current.
      await again.sample([1, 2].map((device) => ({ device, currentA: 0.7e-3 })));
      // (the filter's output now, ripple and settling residue included: within half a PWM step)
      for (const d of [1, 2]) expect(Math.abs(a.hil.circuit.currentA(d) - again.quantizeCurrentA(d, 0.7e-3))).toBeLessThan(2e-3 / 255 / 2);
      await again.close();
    } finally {
      await b.mtj.close();
      a.hil.stop();
      b.hil.stop();
    }
  });
});
