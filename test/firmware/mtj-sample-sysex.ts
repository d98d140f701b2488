/**
 * Test-side client of the spintrain firmware's MTJ_SAMPLE sysex (boards/firmware/uno/spintrain_protocol.h)
 * over firmata-io: the request goes out with io.sysexCommand, the reply comes back through a sysex response
 * handler registered on firmata-io for command 0x01. Waits run on the emulated board's clock.
 */
import type { FirmataLink } from '../../host/device/firmata-link.ts';
import type { DeviceClock } from '../../host/device/device-clock.ts';
import { onMtjSampleReply } from '../../host/device/spintrain-sysex.ts';

export const MTJ_SAMPLE = 0x01;
export const MTJ_STATUS = { ok: 0, length: 1, mask: 2, count: 3, duty: 4, interrupted: 5 } as const;
export const MTJ_MAX_COUNT = 4096;

export interface MtjSampleReply {
  status: number;
  mask: number;
  count: number;
  /** bit 0: the board waited for the RC filter to settle. */
  flags: number;
  /** Bits draw-major: bits[k · junctions + i] is junction i (of the mask, ascending) in draw k. */
  bits: Uint8Array;
  /** Packed data bytes as received. */
  packed: number[];
}

interface SysexIo {
  sysexCommand(message: number[]): unknown;
  sysexResponse(command: number, handler: (data: number[]) => void): unknown;
  clearSysexResponse(command: number): unknown;
}

/** Receives MTJ_SAMPLE replies on a firmata-io link, in order. */
export class MtjSysexClient {
  private readonly replies: number[][] = [];
  private readonly waiters: ((data: number[]) => void)[] = [];

  /**
   * settleS: the RC settling the requests ask for (the profile's mtj.current.settleS), sent in units of 10 µs,
   * rounded up.
   */
  constructor(
    readonly link: FirmataLink,
    readonly clock: DeviceClock,
    readonly settleS: number,
  ) {
    // firmata-io's handler table is shared by every Firmata instance: the host's one dispatcher routes replies
    // by instance (host/device/spintrain-sysex.ts), so this client and J5Mtj coexist in one process
    onMtjSampleReply(link.io as unknown as SysexIo, (data: number[]) => {
      const w = this.waiters.shift();
      if (w) w(data);
      else this.replies.push(data);
    });
  }

  /** Send raw sysex payload bytes (after F0, before F7). */
  sendRaw(payload: number[]): void {
    (this.link.io as unknown as SysexIo).sysexCommand(payload);
  }

  /** The next MTJ_SAMPLE reply (its bytes after the command byte), or a rejection after timeoutS of board time. */
  nextReply(timeoutS = 5): Promise<number[]> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      let done = false;
      const waiter = (d: number[]) => {
        if (done) return;
        done = true;
        resolve(d);
      };
      this.waiters.push(waiter);
      void this.clock.delay(timeoutS).then(() => {
        if (done) return;
        done = true;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no MTJ_SAMPLE reply within ${timeoutS} s of board time`));
      });
    });
  }

  /** Payload F0 01 mask count(14 bits) settle(14 bits, 10 µs units) duties(14 bits each) F7, without F0 and F7. */
  static request(mask: number, duties: number[], count: number, settleS: number): number[] {
    const settle = Math.ceil(settleS / 10e-6 - 1e-9);
    return [
      MTJ_SAMPLE,
      mask & 0x7f,
      count & 0x7f,
      (count >> 7) & 0x7f,
      settle & 0x7f,
      (settle >> 7) & 0x7f,
      ...duties.flatMap((d) => [d & 0x7f, (d >> 7) & 0x7f]),
    ];
  }

  /** Request `count` draws of the junctions in `mask` at `duties` (one per selected junction, ascending). */
  async sample(mask: number, duties: number[], count: number, timeoutS = 10): Promise<MtjSampleReply> {
    this.sendRaw(MtjSysexClient.request(mask, duties, count, this.settleS));
    return MtjSysexClient.decode(await this.nextReply(timeoutS));
  }

  static decode(data: number[]): MtjSampleReply {
    const status = data[0];
    if (status !== MTJ_STATUS.ok) return { status, mask: 0, count: 0, flags: 0, bits: new Uint8Array(0), packed: [] };
    const mask = data[1];
    const count = data[2] | (data[3] << 7);
    const flags = data[4];
    const packed = data.slice(5);
    let junctions = 0;
    for (let j = 0; j < 7; j++) junctions += (mask >> j) & 1;
    const n = count * junctions;
    const bits = new Uint8Array(n);
    for (let i = 0; i < n; i++) bits[i] = (packed[Math.floor(i / 7)] >> (i % 7)) & 1;
    return { status, mask, count, flags, bits, packed };
  }
}
