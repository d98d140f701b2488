/**
 * The host side of spintrain's Uno firmware (boards/firmware/uno): its name, and its MTJ_SAMPLE sysex
 * command (boards/firmware/uno/spintrain_protocol.h) over firmata-io.
 *
 *   request  F0 01 mask count_lsb count_msb settle_lsb settle_msb [duty_lsb duty_msb] × popcount(mask) F7
 *            (settle: RC settling after a duty change, in units of 10 µs: 0 … 163.83 ms)
 *   reply    F0 01 00 mask count_lsb count_msb flags packed… F7   (bits draw-major, 7 per byte, LSB first)
 *   error    F0 01 status F7                                       (status 1 LENGTH … 5 INTERRUPTED)
 *
 * Firmware 0.1 had no settle field (it waited a compiled-in 80 ms, the arduino-uno profile's settleS then); the host speaks MTJ_SAMPLE only to
 * firmware ≥ 0.2 (SPINTRAIN_FIRMWARE_MIN) and takes the plain Firmata path on an older one.
 *
 * firmata-io keeps its sysex response handlers in one static table shared by every Firmata instance of the
 * process, and `sysexResponse` throws when a command byte is registered twice. So this module registers ONE
 * dispatcher for 0x01 and routes each reply to the link registered for the Firmata instance it came from
 * (firmata-io calls the handler with that instance as `this`). Several boards in one process, and re-opening a
 * board, therefore share the dispatcher; if something else took the table's 0x01 entry meanwhile (a test
 * client that clears it and registers its own), the next request installs the dispatcher again.
 */
import { MtjDeviceError } from './errors.ts';

/** QUERY_FIRMWARE name of spintrain's own firmware. */
export const SPINTRAIN_FIRMWARE_NAME = 'spintrain';
export const MTJ_SAMPLE = 0x01;
/** The oldest firmware version whose MTJ_SAMPLE has the settle field. */
export const SPINTRAIN_FIRMWARE_MIN = { major: 0, minor: 2 } as const;
/** Units of the settle field [s], and its largest value. */
export const MTJ_SETTLE_UNIT_S = 10e-6;
export const MTJ_SETTLE_MAX_UNITS = 0x3fff;
export const MTJ_SAMPLE_STATUS = { ok: 0, length: 1, mask: 2, count: 3, duty: 4, interrupted: 5 } as const;
const STATUS_NAMES: Record<number, string> = { 1: 'LENGTH', 2: 'MASK', 3: 'COUNT', 4: 'DUTY', 5: 'INTERRUPTED' };
/** Draws per request (MTJ_MAX_COUNT of the firmware). */
export const MTJ_MAX_COUNT = 4096;
/** Junctions the Uno firmware serves (mask bits 0–3). */
export const MTJ_SAMPLE_JUNCTIONS = 4;
/** Bytes the host may have in flight towards the board while a request runs (its receive buffer). */
export const MTJ_SAMPLE_RX_BUFFER = 64;

/** A request answered with an error status: names the port and the status. */
export class MtjSampleError extends MtjDeviceError {
  readonly statusName: string;
  constructor(
    readonly port: string,
    readonly status: number,
    readonly request: { mask: number; count: number },
  ) {
    const name = STATUS_NAMES[status] ?? `unknown status ${status}`;
    super(
      `board on ${port} refused MTJ_SAMPLE (mask 0b${request.mask.toString(2).padStart(4, '0')}, count ${request.count}): status ${status} ${name}`,
    );
    this.statusName = name;
  }
}

export interface MtjSampleReply {
  mask: number;
  count: number;
  /** bit 0: the board waited for the RC filter (a duty changed). */
  flags: number;
  /** count · popcount(mask) bits, draw-major: bits[k · junctions + r] is the r-th selected junction (ascending) in draw k. */
  bits: Uint8Array;
}

/** The part of firmata-io's Firmata instance the sysex client uses. */
export interface SysexIo {
  firmware?: { name?: string; version?: { major?: number; minor?: number } };
  sysexCommand(message: number[]): unknown;
  sysexResponse(command: number, handler: (this: object, data: number[]) => void): unknown;
  clearSysexResponse(command: number): unknown;
}

/** "name major.minor" as the board announced it (QUERY_FIRMWARE), or "no firmware name". */
export function describeFirmware(io: unknown): string {
  const f = (io as Partial<SysexIo> | null)?.firmware;
  if (!f?.name) return 'no firmware name';
  return f.version ? `${f.name} ${f.version.major ?? '?'}.${f.version.minor ?? '?'}` : f.name;
}

/**
 * True when the IO plugin is firmata-io connected to spintrain's firmware (name from QUERY_FIRMWARE) at version
 * SPINTRAIN_FIRMWARE_MIN or later (an older one lacks the settle field).
 */
export function isSpintrainFirmware(io: unknown): io is SysexIo {
  const s = io as Partial<SysexIo> | null;
  const v = s?.firmware?.version;
  const major = v?.major ?? 0;
  const minor = v?.minor ?? 0;
  const recent = major > SPINTRAIN_FIRMWARE_MIN.major || (major === SPINTRAIN_FIRMWARE_MIN.major && minor >= SPINTRAIN_FIRMWARE_MIN.minor);
  return (
    !!s &&
    s.firmware?.name === SPINTRAIN_FIRMWARE_NAME &&
    recent &&
    typeof s.sysexCommand === 'function' &&
    typeof s.sysexResponse === 'function' &&
    typeof s.clearSysexResponse === 'function'
  );
}

export function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m >>= 1) n += m & 1;
  return n;
}

/** The settle field for `settleS` seconds: rounded up to the next 10 µs unit (never waits less). */
export function mtjSettleUnits(settleS: number): number {
  const units = Math.ceil(settleS / MTJ_SETTLE_UNIT_S - 1e-9);
  if (!(units >= 0 && units <= MTJ_SETTLE_MAX_UNITS)) throw new RangeError(`settle ${settleS} s: MTJ_SAMPLE carries 0 … ${MTJ_SETTLE_MAX_UNITS * MTJ_SETTLE_UNIT_S} s`);
  return units;
}

/**
 * Sysex payload (between F0 and F7) of an MTJ_SAMPLE request; duties one per selected junction, ascending;
 * settleUnits from mtjSettleUnits.
 */
export function encodeMtjSampleRequest(mask: number, duties: readonly number[], count: number, settleUnits: number): number[] {
  const out = [MTJ_SAMPLE, mask & 0x7f, count & 0x7f, (count >> 7) & 0x7f, settleUnits & 0x7f, (settleUnits >> 7) & 0x7f];
  for (const d of duties) out.push(d & 0x7f, (d >> 7) & 0x7f);
  return out;
}

/** Bytes of a request on the wire, F0 … F7. */
export function mtjSampleRequestBytes(junctions: number): number {
  return 8 + 2 * junctions;
}

/** Bytes of a successful reply on the wire, F0 … F7. */
export function mtjSampleReplyBytes(junctions: number, count: number): number {
  return 8 + Math.ceil((junctions * count) / 7);
}

/** Decode the bytes after the command byte: a reply, or `{ status }` for an error reply or a malformed one. */
export function decodeMtjSampleReply(data: readonly number[]): MtjSampleReply | { status: number } {
  const status = data[0] ?? -1;
  if (status !== MTJ_SAMPLE_STATUS.ok) return { status };
  if (data.length < 5) return { status: -1 };
  const mask = data[1];
  const count = data[2] | (data[3] << 7);
  const flags = data[4];
  const n = count * popcount(mask);
  if (data.length !== 5 + Math.ceil(n / 7)) return { status: -1 };
  const bits = new Uint8Array(n);
  for (let i = 0; i < n; i++) bits[i] = (data[5 + Math.floor(i / 7)] >> (i % 7)) & 1;
  return { mask, count, flags, bits };
}

// ---- one dispatcher per process ----

type ReplyHandler = (data: number[]) => void;
const handlers = new WeakMap<object, ReplyHandler>();
/** The entry firmata-io stored for the dispatcher, per handler table (one per firmata-io copy). */
const installed = new WeakMap<object, unknown>();

function dispatch(this: object, data: number[]): void {
  handlers.get(this)?.(data);
}

function handlerTable(io: SysexIo): Record<number, unknown> | null {
  const t = (io.constructor as { SYSEX_RESPONSE?: Record<number, unknown> } | undefined)?.SYSEX_RESPONSE;
  return t && typeof t === 'object' ? t : null;
}

/** Make sure firmata-io's 0x01 entry is this module's dispatcher (registers it, or again if it was replaced). */
function ensureDispatcher(io: SysexIo): void {
  const table = handlerTable(io);
  if (table && table[MTJ_SAMPLE] !== undefined && table[MTJ_SAMPLE] === installed.get(table)) return;
  io.clearSysexResponse(MTJ_SAMPLE);
  io.sysexResponse(MTJ_SAMPLE, dispatch);
  if (table) installed.set(table, table[MTJ_SAMPLE]);
}

/**
 * Receive MTJ_SAMPLE replies (the bytes after the command byte) of one Firmata instance. Returns the function
 * that stops it. A later registration for the same instance replaces this one.
 */
export function onMtjSampleReply(io: SysexIo, handler: ReplyHandler): () => void {
  handlers.set(io, handler);
  ensureDispatcher(io);
  return () => {
    if (handlers.get(io) === handler) handlers.delete(io);
  };
}

/**
 * MTJ_SAMPLE over one Firmata instance: one request at a time; the caller (J5Mtj) serialises requests and
 * bounds the wait. A reply that does not echo the pending request's mask and count (a late reply to a request
 * given up on) is dropped.
 */
export class MtjSampleLink {
  private pending: { mask: number; count: number; resolve: (r: MtjSampleReply) => void; reject: (e: Error) => void } | null = null;
  private readonly stop: () => void;
  /** Bytes sent and received by MTJ_SAMPLE requests (F0 … F7), for link-utilisation figures. */
  bytesOut = 0;
  bytesIn = 0;
  requests = 0;

  constructor(
    readonly io: SysexIo,
    readonly portName: string,
  ) {
    this.stop = onMtjSampleReply(io, (data) => this.received(data));
  }

  /** Send one request; resolves with its reply, rejects with MtjSampleError on an error status. */
  request(mask: number, duties: readonly number[], count: number, settleUnits: number): Promise<MtjSampleReply> {
    if (this.pending) return Promise.reject(new MtjDeviceError(`MTJ_SAMPLE on ${this.portName}: a request is already running`));
    ensureDispatcher(this.io);
    return new Promise((resolve, reject) => {
      this.pending = { mask, count, resolve, reject };
      const payload = encodeMtjSampleRequest(mask, duties, count, settleUnits);
      this.bytesOut += payload.length + 2;
      this.requests++;
      this.io.sysexCommand(payload);
    });
  }

  /** Forget the pending request (it timed out, or the transport closed). */
  abandon(): void {
    this.pending = null;
  }

  close(): void {
    this.pending = null;
    this.stop();
  }

  private received(data: number[]): void {
    this.bytesIn += data.length + 3;
    const p = this.pending;
    if (!p) return;
    const r = decodeMtjSampleReply(data);
    if ('status' in r) {
      this.pending = null;
      p.reject(new MtjSampleError(this.portName, r.status, p));
      return;
    }
    if (r.mask !== p.mask || r.count !== p.count) return; // a stale reply
    this.pending = null;
    p.resolve(r);
  }
}
