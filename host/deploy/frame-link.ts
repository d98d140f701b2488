/**
 * Go-back-N sender of board frames (boards/glue/portable/st_frame.h): frame i carries seq (startSeq + i) mod
 * 256; at most `window` (≤ 128) frames are unacknowledged at a time. The board ACKs each frame it takes ("a
 * seq", cumulative here: it takes frames only in order), NAKs a damaged or out-of-order one ("n expected …").
 * On a NAK for the oldest unacknowledged frame, or when no ACK came for `timeoutMs`, the sender resends
 * from that frame (once per NAK burst: the frames already in flight behind a lost one each draw a NAK).
 * The board re-ACKs and ignores resends of frames it already took, so no training step runs twice.
 *
 * The frames are encoded when first sent and dropped once acknowledged, so a long stream (every sample of
 * every epoch) costs one window of frames in memory. The timeout runs on a LinkClock: the wall clock by
 * default, a clock the caller drives in tests. `spintrain board` (board-link.ts) sends through this;
 * test/harness/runtimes/wasm2c-native.ts too.
 */
import type { BoardCommand } from './serial-stream.ts';
import { encodeFrame } from './serial-stream.ts';
import { DeployError } from './errors.ts';

/** The time base of the link's timeouts: the wall clock, or one a test advances. */
export interface LinkClock {
  /** Calls fn after ms of this clock's time; returns a handle for clear. */
  set(ms: number, fn: () => void): unknown;
  clear(handle: unknown): void;
}

export const wallLinkClock: LinkClock = {
  set: (ms, fn) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface FrameLinkOptions {
  /** Frames in flight (default 8). */
  window?: number;
  /** Resend when no ACK arrived for this long [ms] (default 500). */
  timeoutMs?: number;
  /** Give up after this many resends of one frame (default 20). */
  maxResends?: number;
  /** Sequence number of the first frame (default 0: a board that just started expects 0). */
  startSeq?: number;
  /** The timeouts' clock (default: the wall clock). */
  clock?: LinkClock;
  /** Names the link in errors, e.g. the serial port. */
  name?: string;
  /** After each advance: frames acknowledged so far (for progress). */
  onAcked?: (acked: number) => void;
}

export interface FrameLinkStats {
  frames: number;
  /** Frames written, resends included. */
  sent: number;
  resends: number;
  timeouts: number;
  naks: number;
}

/** The commands a sender sends: a list, or `count` commands made on demand (frame i from command(i)). */
export type FrameSource = BoardCommand[] | { count: number; command: (i: number) => BoardCommand };

const prefix = (name: string | undefined): string => (name ? `${name}: ` : '');

/** The board's frame buffer is shorter than the frames (it answered "n <seq> size"): resending cannot help. */
export class FrameTooLongError extends DeployError {
  constructor(readonly seq: number, name?: string) {
    super(`${prefix(name)}board link: frame ${seq} is longer than the board's frame buffer (ST_FRAME_MAX_PAYLOAD: 1 + 1,024 inputs)`);
  }
}

/** No ACK for a frame after maxResends resends. */
export class FrameLinkError extends DeployError {
  constructor(readonly seq: number, readonly resends: number, name?: string, what = '') {
    super(`${prefix(name)}board link: frame ${seq}${what} not acknowledged after ${resends} resends`);
  }
}

export class FrameSender {
  private readonly count: number;
  private readonly commandAt: (i: number) => BoardCommand;
  private readonly cache = new Map<number, Uint8Array>();
  private readonly window: number;
  private readonly timeoutMs: number;
  private readonly maxResends: number;
  private readonly startSeq: number;
  private readonly clock: LinkClock;
  private base = 0; // oldest unacknowledged frame
  private next = 0; // next frame to write
  private rewound = false; // a NAK for `base` was acted on; further NAKs for it are the same loss
  private tries = 0; // resends of `base`
  private timer: unknown;
  private settle: { resolve: (s: FrameLinkStats) => void; reject: (e: Error) => void } | undefined;
  readonly stats: FrameLinkStats;

  constructor(commands: FrameSource, private readonly write: (frame: Uint8Array) => void, private readonly opts: FrameLinkOptions = {}) {
    if (Array.isArray(commands)) {
      this.count = commands.length;
      this.commandAt = (i) => commands[i];
    } else {
      this.count = commands.count;
      this.commandAt = commands.command;
    }
    this.window = Math.min(128, Math.max(1, opts.window ?? 8));
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.maxResends = opts.maxResends ?? 20;
    this.startSeq = (opts.startSeq ?? 0) & 0xff;
    this.clock = opts.clock ?? wallLinkClock;
    this.stats = { frames: this.count, sent: 0, resends: 0, timeouts: 0, naks: 0 };
  }

  /** The sequence number the frame after the last one carries (where the next batch of frames starts). */
  get endSeq(): number {
    return (this.startSeq + this.count) & 0xff;
  }

  /** Sends every frame; resolves when the last is acknowledged. */
  run(): Promise<FrameLinkStats> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      if (this.count === 0) return this.advance(0);
      this.pump();
    });
  }

  /** Feed every line the board writes (ACK/NAK lines are acted on, others ignored). */
  onLine(line: string): void {
    const m = /^([an]) (\d+)( size)?/.exec(line);
    if (!m || !this.settle) return;
    const seq = Number(m[2]);
    // the unacknowledged frame this seq names: base + ((seq − seq(base)) mod 256), within what was sent
    const at = this.base + ((seq - this.startSeq - this.base) & 0xff);
    if (m[1] === 'a') {
      if (at < this.next) this.advance(at + 1);
    } else {
      this.stats.naks++;
      if (m[3]) return this.fail(new FrameTooLongError(seq, this.opts.name));
      // "n e": the board expects frame e, so everything before it was taken
      if (at <= this.next && at > this.base) this.advance(at);
      if (at === this.base && !this.rewound) {
        this.rewound = true;
        this.resend();
      }
    }
  }

  /** The board ended (process exit, port closed) before every frame was acknowledged. */
  fail(e: Error): void {
    this.stop();
    this.settle?.reject(e);
    this.settle = undefined;
  }

  private frame(i: number): Uint8Array {
    let f = this.cache.get(i);
    if (!f) {
      f = encodeFrame(this.commandAt(i), this.startSeq + i);
      this.cache.set(i, f);
    }
    return f;
  }

  private advance(to: number): void {
    if (to < this.base || (to === this.base && this.count > 0)) return;
    for (let i = this.base; i < to; i++) this.cache.delete(i);
    this.base = to;
    this.rewound = false;
    this.tries = 0;
    this.opts.onAcked?.(to);
    if (this.base >= this.count) {
      this.stop();
      this.settle?.resolve(this.stats);
      this.settle = undefined;
      return;
    }
    this.pump();
  }

  private resend(): void {
    if (++this.tries > this.maxResends) {
      const c = this.commandAt(this.base);
      return this.fail(new FrameLinkError((this.startSeq + this.base) & 0xff, this.maxResends, this.opts.name, ` (command ${c.cmd}, frame ${this.base + 1} of ${this.count})`));
    }
    this.stats.resends += this.next - this.base;
    this.next = this.base;
    this.pump();
  }

  private pump(): void {
    while (this.next < this.count && this.next < this.base + this.window) {
      this.write(this.frame(this.next++));
      this.stats.sent++;
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined) this.clock.clear(this.timer);
    this.timer = this.clock.set(this.timeoutMs, () => {
      this.timer = undefined;
      if (!this.settle) return;
      this.stats.timeouts++;
      this.rewound = false;
      this.resend();
    });
  }

  private stop(): void {
    if (this.timer !== undefined) this.clock.clear(this.timer);
    this.timer = undefined;
  }
}
