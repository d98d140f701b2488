/**
 * Go-back-N sender of board frames (boards/glue/portable/st_frame.h): frame i carries seq i mod 256; at
 * most `window` (≤ 128) frames are unacknowledged at a time. The board ACKs each frame it takes ("a seq",
 * cumulative here: it takes frames only in order), NAKs a damaged or out-of-order one ("n expected …").
 * On a NAK for the oldest unacknowledged frame, or when no ACK came for `timeoutMs`, the sender resends
 * from that frame (once per NAK burst: the frames already in flight behind a lost one each draw a NAK).
 * The board re-ACKs and ignores resends of frames it already took, so no training step runs twice.
 */
import type { BoardCommand } from '../../../host/deploy/serial-stream.ts';
import { encodeFrame } from '../../../host/deploy/serial-stream.ts';
import { DeployError } from '../../../host/deploy/errors.ts';

export interface FrameLinkOptions {
  /** Frames in flight (default 8). */
  window?: number;
  /** Resend when no ACK arrived for this long [ms] (default 500). */
  timeoutMs?: number;
  /** Give up after this many resends of one frame (default 20). */
  maxResends?: number;
}

export interface FrameLinkStats {
  frames: number;
  /** Frames written, resends included. */
  sent: number;
  resends: number;
  timeouts: number;
  naks: number;
}

/** The board's frame buffer is shorter than the frames (it answered "n <seq> size"): resending cannot help. */
export class FrameTooLongError extends DeployError {
  constructor(readonly seq: number) {
    super(`board link: frame ${seq} is longer than the board's frame buffer (ST_FRAME_MAX_PAYLOAD: 1 + 1,024 inputs)`);
  }
}

/** No ACK for a frame after maxResends resends. */
export class FrameLinkError extends DeployError {
  constructor(readonly seq: number, readonly resends: number) {
    super(`board link: frame ${seq} not acknowledged after ${resends} resends`);
  }
}

export class FrameSender {
  private readonly frames: Uint8Array[];
  private readonly window: number;
  private readonly timeoutMs: number;
  private readonly maxResends: number;
  private base = 0; // oldest unacknowledged frame
  private next = 0; // next frame to write
  private rewound = false; // a NAK for `base` was acted on; further NAKs for it are the same loss
  private tries = 0; // resends of `base`
  private timer: ReturnType<typeof setTimeout> | undefined;
  private settle: { resolve: (s: FrameLinkStats) => void; reject: (e: Error) => void } | undefined;
  readonly stats: FrameLinkStats;

  constructor(commands: BoardCommand[], private readonly write: (frame: Uint8Array) => void, opts: FrameLinkOptions = {}) {
    this.frames = commands.map((c, i) => encodeFrame(c, i));
    this.window = Math.min(128, Math.max(1, opts.window ?? 8));
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.maxResends = opts.maxResends ?? 20;
    this.stats = { frames: this.frames.length, sent: 0, resends: 0, timeouts: 0, naks: 0 };
  }

  /** Sends every frame; resolves when the last is acknowledged. */
  run(): Promise<FrameLinkStats> {
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.pump();
    });
  }

  /** Feed every line the board writes (ACK/NAK lines are acted on, others ignored). */
  onLine(line: string): void {
    const m = /^([an]) (\d+)( size)?/.exec(line);
    if (!m || !this.settle) return;
    const seq = Number(m[2]);
    // the unacknowledged frame this seq names: base + ((seq − base) mod 256), within what was sent
    const at = this.base + ((seq - this.base) & 0xff);
    if (m[1] === 'a') {
      if (at < this.next) this.advance(at + 1);
    } else {
      this.stats.naks++;
      if (m[3]) return this.fail(new FrameTooLongError(seq));
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

  private advance(to: number): void {
    if (to <= this.base) return;
    this.base = to;
    this.rewound = false;
    this.tries = 0;
    if (this.base >= this.frames.length) {
      this.stop();
      this.settle?.resolve(this.stats);
      this.settle = undefined;
      return;
    }
    this.pump();
  }

  private resend(): void {
    if (++this.tries > this.maxResends) return this.fail(new FrameLinkError(this.base & 0xff, this.maxResends));
    this.stats.resends += this.next - this.base;
    this.next = this.base;
    this.pump();
  }

  private pump(): void {
    while (this.next < this.frames.length && this.next < this.base + this.window) {
      this.write(this.frames[this.next++]);
      this.stats.sent++;
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.settle) return;
      this.stats.timeouts++;
      this.rewound = false;
      this.resend();
    }, this.timeoutMs);
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
