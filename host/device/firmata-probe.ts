/**
 * Does the board on a serial port answer Firmata? A `FirmataProbe` opens the port, waits for the version
 * report a board sends when its firmware boots (an Uno reboots when its port opens), asks for it after
 * `versionQueryS` if none came (REPORT_VERSION and QUERY_FIRMWARE, as firmata-io does for a board that
 * did not reset), gives up after `timeoutS`, and closes the port. Every wait runs on the transport's
 * device clock: the wall clock for a real port, emulated time for the emulated Uno.
 *
 * The probe speaks just enough of the protocol to recognise the two replies (REPORT_VERSION 0xF9 major
 * minor; the sysex REPORT_FIRMWARE 0xF0 0x79 major minor name… 0xF7) and never rejects: a port that
 * cannot be opened, fails, closes or stays silent is an answer `{ answers: false, reason }`.
 */
import { statSync } from 'node:fs';
import { type DeviceClock, wallClock } from './device-clock.ts';
import { PortNotFoundError } from './errors.ts';
import type { SerialPortLike } from './firmata-link.ts';
import { NotASerialPortError } from './serial-port-path.ts';
import { loadSerialPort } from './serial-port-module.ts';

export type FirmataAnswer =
  | {
      answers: true;
      /** Firmata protocol version from REPORT_VERSION ("2.5"), if that report came. */
      protocolVersion?: string;
      /** Firmware name from REPORT_FIRMWARE ("StandardFirmata.ino"), if that report came. */
      firmware?: string;
      /** Firmware version from REPORT_FIRMWARE ("2.5"). */
      firmwareVersion?: string;
    }
  | { answers: false; reason: string };

export interface FirmataProbeOptions {
  /** Seconds (device clock) the board has to answer. Default the probe's (5). */
  timeoutS?: number;
  /** Baud rate to open the port at (the board profile's runtime.baud). Default FIRMATA_BAUD (57600). */
  baud?: number;
}

export interface FirmataProbe {
  /** Opens `path`, listens for Firmata, closes it. Never rejects. */
  probe(path: string, options?: FirmataProbeOptions): Promise<FirmataAnswer>;
}

/** An open (or opening) serial-port-like link and the clock its waits run on. */
export interface ProbeTransport {
  port: SerialPortLike & { isOpen?: boolean; removeListener?(event: string, cb: (...args: unknown[]) => void): unknown };
  clock: DeviceClock;
}

export interface FirmataProbeConfig {
  /** Opens a port by path at a baud rate. Default: node-serialport on the wall clock. */
  open?: (path: string, baud: number) => ProbeTransport | Promise<ProbeTransport>;
  /**
   * Default timeout [s]. Default 5: after the reset an Uno's bootloader waits up to ~1 s, then StandardFirmata
   * blinks its version on the LED (~1.8 s) before it reports it.
   */
  timeoutS?: number;
  /** Seconds without a version report before the probe asks for one (at most half the timeout). Default 2. */
  versionQueryS?: number;
  /** Seconds to wait for REPORT_FIRMWARE once REPORT_VERSION came (they arrive together). Default 0.25. */
  firmwareGraceS?: number;
}

export const DEFAULT_PROBE_TIMEOUT_S = 5;
export const FIRMATA_BAUD = 57600;

const REPORT_VERSION = 0xf9;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const REPORT_FIRMWARE = 0x79;
/** Longest sysex kept: a firmware name is short; anything longer is not what we listen for. */
const MAX_SYSEX = 256;

export type FirmataReply = { kind: 'version'; major: number; minor: number } | { kind: 'firmware'; major: number; minor: number; name: string };

/**
 * Streaming recogniser of REPORT_VERSION and REPORT_FIRMWARE in whatever a port sends. Other Firmata
 * messages and non-Firmata bytes are skipped; a command byte (≥ 0x80) inside a message aborts it, as in
 * the protocol a data byte never has its top bit set.
 */
export class FirmataReplyParser {
  private version: number[] | null = null;
  private sysex: number[] | null = null;

  push(bytes: Iterable<number>): FirmataReply[] {
    const out: FirmataReply[] = [];
    for (const b of bytes) this.byte(b & 0xff, out);
    return out;
  }

  private byte(b: number, out: FirmataReply[]): void {
    if (this.sysex) {
      if (b === END_SYSEX) {
        const reply = firmwareReply(this.sysex);
        this.sysex = null;
        if (reply) out.push(reply);
        return;
      }
      if (b < 0x80) {
        if (this.sysex.length < MAX_SYSEX) this.sysex.push(b);
        else this.sysex = null;
        return;
      }
      this.sysex = null; // a command byte: the sysex was cut; read b as a command
    } else if (this.version) {
      if (b < 0x80) {
        this.version.push(b);
        if (this.version.length === 2) {
          out.push({ kind: 'version', major: this.version[0], minor: this.version[1] });
          this.version = null;
        }
        return;
      }
      this.version = null;
    }
    if (b === REPORT_VERSION) this.version = [];
    else if (b === START_SYSEX) this.sysex = [];
  }
}

/** REPORT_FIRMWARE's body (after 0xF0): 0x79 major minor, then the name as 7-bit LSB/MSB pairs. */
function firmwareReply(body: number[]): FirmataReply | undefined {
  if (body.length < 3 || body[0] !== REPORT_FIRMWARE) return undefined;
  const chars: number[] = [];
  for (let i = 3; i + 1 < body.length; i += 2) chars.push((body[i] | (body[i + 1] << 7)) & 0xff);
  const name = Buffer.from(chars).toString('latin1').replace(/[^\x20-\x7e]/g, '').trim();
  return { kind: 'firmware', major: body[1], minor: body[2], name };
}

const errorText = (e: unknown): string => String((e as Error)?.message ?? e).replace(/^Error: /, '');

/**
 * node-serialport on a path, on the wall clock. A missing path or one that is no character device is refused
 * before anything opens it; any other non-port (/dev/null) fails node-serialport's open, which the probe
 * reports. (assertSerialPortPath's /proc/devices check is not used: it names a major number by its first
 * driver, and major 4 is "/dev/vc/0" before "ttyS", so it refuses /dev/ttyS*.)
 */
export function openSerialPortForProbe(path: string, baud: number): ProbeTransport {
  if (!(process.platform === 'win32' && /^(\\\\\.\\)?COM\d+$/i.test(path))) {
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new PortNotFoundError(path);
      throw e;
    }
    if (!st.isCharacterDevice()) throw new NotASerialPortError(path, st.isFile() ? 'a regular file' : st.isDirectory() ? 'a directory' : 'not a character device');
  }
  const SerialPort = loadSerialPort();
  // Opens on the next tick; an open failure is an 'error' event, which the probe listens for.
  const port = new SerialPort(path, { baudRate: baud, highWaterMark: 256 }) as ProbeTransport['port'];
  return { port, clock: wallClock };
}

export function createFirmataProbe(config: FirmataProbeConfig = {}): FirmataProbe {
  const open = config.open ?? openSerialPortForProbe;
  return {
    async probe(path, options = {}) {
      const timeoutS = options.timeoutS ?? config.timeoutS ?? DEFAULT_PROBE_TIMEOUT_S;
      const queryS = Math.min(config.versionQueryS ?? 2, timeoutS / 2);
      const graceS = config.firmwareGraceS ?? 0.25;
      let transport: ProbeTransport;
      try {
        transport = await open(path, options.baud ?? FIRMATA_BAUD);
      } catch (e) {
        return { answers: false, reason: `cannot open it: ${errorText(e)}` };
      }
      return listen(transport, timeoutS, queryS, graceS);
    },
  };
}

/** The probe of one open(ing) transport: resolves once, then closes the port. */
function listen({ port, clock }: ProbeTransport, timeoutS: number, queryS: number, graceS: number): Promise<FirmataAnswer> {
  return new Promise<FirmataAnswer>((resolve) => {
    const parser = new FirmataReplyParser();
    // The wall clock's timers do not keep Node running: this does, until the probe has answered and closed.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    let done = false;
    let protocol: { major: number; minor: number } | undefined;
    let firmware: { major: number; minor: number; name: string } | undefined;
    const answered = (): FirmataAnswer => ({
      answers: true,
      ...(protocol ? { protocolVersion: `${protocol.major}.${protocol.minor}` } : {}),
      ...(firmware?.name ? { firmware: firmware.name } : {}),
      ...(firmware ? { firmwareVersion: `${firmware.major}.${firmware.minor}` } : {}),
    });
    const finish = (answer: FirmataAnswer): void => {
      if (done) return;
      done = true;
      port.removeListener?.('data', onData);
      void closePort(port, clock).then(() => {
        clearInterval(keepAlive);
        resolve(answer);
      });
    };
    const onData = (...args: unknown[]): void => {
      if (done) return;
      const chunk = args[0];
      const bytes = Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? chunk : Array.isArray(chunk) ? (chunk as number[]) : [];
      for (const reply of parser.push(bytes)) {
        if (reply.kind === 'firmware') firmware = reply;
        else if (!protocol) {
          protocol = reply;
          // REPORT_FIRMWARE follows at once at boot and in reply to the query: wait briefly for its name.
          void clock.delay(graceS).then(() => finish(answered()));
        }
      }
      if (firmware) finish(answered());
    };
    // Errors after the answer (node-serialport repeats a failure as "Port is not open") are ignored.
    port.on('error', (e) => finish({ answers: false, reason: errorText(e) }));
    port.on('close', () => finish({ answers: false, reason: 'the port closed before it answered' }));
    port.on('data', onData);
    void clock.delay(queryS).then(() => {
      if (done || protocol || firmware || port.isOpen === false) return;
      try {
        port.write(Buffer.from([REPORT_VERSION, START_SYSEX, REPORT_FIRMWARE, END_SYSEX]), () => undefined);
      } catch {
        // a failing write shows up as an 'error' event or as silence: the timeout decides
      }
    });
    void clock.delay(timeoutS).then(() =>
      finish(protocol || firmware ? answered() : { answers: false, reason: `no Firmata version report within ${timeoutS} s` }),
    );
  });
}

/** Closes the port, waiting for its callback at most a second of its clock. */
function closePort(port: ProbeTransport['port'], clock: DeviceClock): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    try {
      port.close(() => resolve());
    } catch {
      resolve();
    }
  });
  return Promise.race([closed, clock.delay(1)]);
}
