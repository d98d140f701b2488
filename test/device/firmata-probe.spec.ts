/**
 * The Firmata probe: its reply recogniser, the emulated Uno (genuine StandardFirmata) answering at boot and,
 * when its port does not reset it, to the probe's query; and every failure as an answer, never a rejection.
 */
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceClock } from '../../host/device/device-clock.ts';
import { FirmataReplyParser, createFirmataProbe, type ProbeTransport } from '../../host/device/firmata-probe.ts';
import { EmulatedSerialPort } from '../harness/uno/emulated-serial-port.ts';
import { startEmulatedUno, type EmulatedUno } from '../harness/uno/emulated-uno.ts';

/** REPORT_FIRMWARE for `name` version major.minor, as StandardFirmata sends it. */
function firmwareReport(major: number, minor: number, name: string): number[] {
  const body = [...Buffer.from(name, 'latin1')].flatMap((c) => [c & 0x7f, c >> 7]);
  return [0xf0, 0x79, major, minor, ...body, 0xf7];
}

describe('FirmataReplyParser', () => {
  const boot = [0xf9, 2, 5, ...firmwareReport(2, 5, 'StandardFirmata.ino')];

  it('REPORT_VERSION and REPORT_FIRMWARE in one chunk', () => {
    expect(new FirmataReplyParser().push(boot)).toEqual([
      { kind: 'version', major: 2, minor: 5 },
      { kind: 'firmware', major: 2, minor: 5, name: 'StandardFirmata.ino' },
    ]);
  });

  it('the same, a byte at a time, amid other Firmata messages and noise', () => {
    const p = new FirmataReplyParser();
    const stream = [0x41, 0x0d, 0xe0, 0x10, 0x03, 0xf9, 0xf9, 2, 5, 0xf0, 0x6c, 0x7f, 0xf7, ...firmwareReport(2, 4, 'X.ino')];
    const out = stream.flatMap((b) => p.push([b]));
    expect(out).toEqual([
      { kind: 'version', major: 2, minor: 5 },
      { kind: 'firmware', major: 2, minor: 4, name: 'X.ino' },
    ]);
  });

  it('a command byte cuts a message: no false report', () => {
    const p = new FirmataReplyParser();
    expect(p.push([0xf9, 2, 0x90, 5])).toEqual([]);
    expect(p.push([0xf0, 0x79, 2, 0xe0, 0xf7])).toEqual([]);
    expect(p.push([0xf0, 0x79, 2, 0xf7])).toEqual([]); // too short
    expect(p.push(Buffer.from('hello, world\r\n'))).toEqual([]);
  });
});

describe('the probe on an emulated Uno', () => {
  let hil: EmulatedUno;
  beforeAll(async () => {
    hil = await startEmulatedUno({ path: 'emulated:uno' });
  });
  afterAll(() => hil?.stop());

  it('a port that resets the board: StandardFirmata announces itself at boot', async () => {
    let port: EmulatedSerialPort | undefined;
    const probe = createFirmataProbe({ open: (path) => ({ port: (port = new EmulatedSerialPort(hil.emulator, { path })), clock: hil.clock }) });
    const answer = await probe.probe('emulated:uno', { timeoutS: 2.5 });
    expect(answer).toEqual({ answers: true, protocolVersion: '2.4', firmware: 'StandardFirmata.ino', firmwareVersion: '2.4' });
    expect(port!.isOpen).toBe(false); // closed again
  });

  it('a port that does not reset it: the probe asks after 2 s of emulated time and gets the answer', async () => {
    const probe = createFirmataProbe({
      open: (path) => ({ port: new EmulatedSerialPort(hil.emulator, { path, resetOnOpen: false }), clock: hil.clock }),
    });
    const t0 = hil.emulator.timeS;
    const answer = await probe.probe('emulated:no-reset', { timeoutS: 5 });
    expect(answer).toEqual({ answers: true, protocolVersion: '2.4', firmware: 'StandardFirmata.ino', firmwareVersion: '2.4' });
    expect(hil.emulator.timeS - t0).toBeGreaterThanOrEqual(2);
    expect(hil.emulator.timeS - t0).toBeLessThan(3);
  });
});

/** A scripted serial port: emits what the test says; records writes. */
class ScriptedPort extends EventEmitter {
  isOpen = true;
  writes: number[][] = [];
  closed = 0;
  constructor(readonly path: string) {
    super();
  }
  write(data: Buffer, cb?: (err?: Error | null) => void): boolean {
    this.writes.push([...data]);
    cb?.(null);
    return true;
  }
  close(cb?: (err?: Error | null) => void): void {
    this.isOpen = false;
    this.closed++;
    setImmediate(() => cb?.(null));
  }
}

/** Lets a probe just started open its port and start listening (it does so asynchronously). */
const opened = () => new Promise((r) => setImmediate(r));

/** A clock the test advances by hand. */
function manualClock(): DeviceClock & { advance(s: number): Promise<void> } {
  let now = 0;
  const waiters: { at: number; resolve: () => void }[] = [];
  return {
    delay: (s) => new Promise<void>((resolve) => waiters.push({ at: now + s, resolve })),
    async advance(s) {
      now += s;
      for (const w of waiters.filter((w) => w.at <= now)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('the probe: failures are answers', { timeout: 20_000 }, () => {
  function scripted(): { port: ScriptedPort; clock: ReturnType<typeof manualClock>; open: (path: string) => ProbeTransport } {
    const clock = manualClock();
    const port = new ScriptedPort('/dev/ttyFAKE0');
    return { port, clock, open: () => ({ port, clock }) };
  }

  it('silence: the query goes out at 2 s, the answer "no" at the timeout, the port is closed', async () => {
    const { port, clock, open } = scripted();
    const answer = createFirmataProbe({ open }).probe('/dev/ttyFAKE0', { timeoutS: 5 });
    await opened();
    await clock.advance(1.9);
    expect(port.writes).toEqual([]);
    await clock.advance(0.1);
    expect(port.writes).toEqual([[0xf9, 0xf0, 0x79, 0xf7]]);
    await clock.advance(3);
    expect(await answer).toEqual({ answers: false, reason: 'no Firmata version report within 5 s' });
    expect(port.closed).toBe(1);
  });

  it('a short timeout asks at half of it', async () => {
    const { port, clock, open } = scripted();
    const answer = createFirmataProbe({ open }).probe('/dev/ttyFAKE0', { timeoutS: 1 });
    await opened();
    await clock.advance(0.5);
    expect(port.writes).toHaveLength(1);
    await clock.advance(0.5);
    expect((await answer).answers).toBe(false);
  });

  it('REPORT_VERSION without REPORT_FIRMWARE: answers with the protocol version after a short grace', async () => {
    const { port, clock, open } = scripted();
    const answer = createFirmataProbe({ open }).probe('/dev/ttyFAKE0');
    await opened();
    port.emit('data', Buffer.from([0xf9, 2, 3]));
    await clock.advance(0.25);
    expect(await answer).toEqual({ answers: true, protocolVersion: '2.3' });
    expect(port.closed).toBe(1);
  });

  it('an error on the port → "no" with its message', async () => {
    const { port, open } = scripted();
    const answer = createFirmataProbe({ open }).probe('/dev/ttyFAKE0');
    await opened();
    port.emit('error', new Error('Error: Permission denied, cannot open /dev/ttyFAKE0'));
    expect(await answer).toEqual({ answers: false, reason: 'Permission denied, cannot open /dev/ttyFAKE0' });
    port.emit('error', new Error('Port is not open')); // a second one is ignored, not thrown
  });

  it('the port closes → "no"', async () => {
    const { port, open } = scripted();
    const answer = createFirmataProbe({ open }).probe('/dev/ttyFAKE0');
    await opened();
    port.emit('close', { disconnected: true });
    expect(await answer).toEqual({ answers: false, reason: 'the port closed before it answered' });
  });

  it('open throws → "no: cannot open it"', async () => {
    const probe = createFirmataProbe({
      open: () => {
        throw new Error('Error: Resource temporarily unavailable Cannot lock port');
      },
    });
    expect(await probe.probe('/dev/ttyACM0')).toEqual({ answers: false, reason: 'cannot open it: Resource temporarily unavailable Cannot lock port' });
  });

  it('the real probe refuses a missing path or a non-port at once, without opening anything', async () => {
    const probe = createFirmataProbe();
    expect(await probe.probe('/dev/ttySPINTRAIN-NOPE')).toEqual({ answers: false, reason: 'cannot open it: serial port /dev/ttySPINTRAIN-NOPE not found' });
    const file = fileURLToPath(import.meta.url);
    expect(await probe.probe(file)).toEqual({ answers: false, reason: `cannot open it: ${file} is not a serial port (a regular file): give the path of the board's serial port, e.g. /dev/ttyACM0` });
  });
});
