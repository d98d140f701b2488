/**
 * A host's session with a board that runs the spintrain module (boards/glue/portable/st_protocol.h) over
 * a byte link (a serial port: board-serial-port.ts; in tests also a process's stdin/stdout).
 *
 * hello(): finds the sequence number the board expects and its banner. A board that just started expects 0,
 * but one the host talked to before expects any of 0..255, and the host must not run a command twice. So
 * it probes with two 'H' frames, seq g and g + 128: the board answers each with "a s" (taken, then the
 * banner; or a resend of a frame it took, nothing more) or "n e …" (it expects e). Of the two, at least
 * one is taken with its banner or NAKed with the expected seq, whatever the board expects; a NAK leads to
 * one more probe at e. A banner not after an ACK is the board starting: it expects 0. Every wait is
 * bounded by the link clock (the banner timeout; the probes are resent after the ACK timeout).
 *
 * exchange(): sends commands through the go-back-N sender (frame-link.ts) from the expected seq on and
 * hands each reply line (not ACK/NAK) to the caller, in order: the board answers every command in
 * the order it took them. It ends when every frame is acknowledged and `replies` replies came; a reply
 * that does not come within the reply timeout after the last byte is an error. Errors name the port
 * and, for a frame, its sequence number.
 */
import { FrameSender, wallLinkClock, type FrameLinkStats, type FrameSource, type LinkClock } from './frame-link.ts';
import { encodeFrame, type DrawSource } from './serial-stream.ts';
import { DeployError } from './errors.ts';

/** A byte link to a board. */
export interface BoardPort {
  /** Names the port in messages (its path). */
  readonly name: string;
  write(bytes: Uint8Array): void;
  /** Every chunk the board writes. */
  onData(cb: (chunk: Uint8Array) => void): void;
  /** The link closed or failed (the board was unplugged, the process ended). */
  onClose(cb: (reason: string) => void): void;
  close(): Promise<void>;
}

/** What went wrong on a board link: the message names the port. */
export class BoardLinkError extends DeployError {
  constructor(readonly port: string, detail: string) {
    super(`${port}: ${detail}`);
  }
}

export interface BoardBanner {
  runtime: string;
  linearBytes: number;
  drawSource?: DrawSource;
  line: string;
}

export interface BoardLinkOptions {
  /** Frames in flight (default 8). */
  window?: number;
  /** Resend a frame (or a probe) when no ACK came for this long [ms] (default 500). */
  ackTimeoutMs?: number;
  /** Resends of one frame before giving up (default 20). */
  maxResends?: number;
  /** Wait this long for the banner [ms] (default 10,000). */
  bannerTimeoutMs?: number;
  /** Wait this long for a reply after the board's last byte [ms] (default 10,000). */
  replyTimeoutMs?: number;
  clock?: LinkClock;
}

/** Parses "ready <runtime> <linear bytes> draws <source>"; undefined for another line. */
export function parseBanner(line: string): BoardBanner | undefined {
  const m = /^ready (\S+) (\d+)(?: draws (\S+))?\s*$/.exec(line);
  if (!m) return undefined;
  return { runtime: m[1], linearBytes: Number(m[2]), ...(m[3] ? { drawSource: m[3] as DrawSource } : {}), line };
}

export class BoardLink {
  private readonly clock: LinkClock;
  private readonly opts: Required<Omit<BoardLinkOptions, 'clock'>>;
  private pending = '';
  private listener: ((line: string) => void) | undefined;
  private dataListener: (() => void) | undefined;
  private closed: string | undefined;
  private closeListener: ((reason: string) => void) | undefined;
  /** The board's last lines (for error messages). */
  private readonly tail: string[] = [];
  /** The sequence number the board expects next (after hello). */
  seq = 0;
  banner: BoardBanner | undefined;
  readonly stats: FrameLinkStats = { frames: 0, sent: 0, resends: 0, timeouts: 0, naks: 0 };

  constructor(readonly port: BoardPort, opts: BoardLinkOptions = {}) {
    this.clock = opts.clock ?? wallLinkClock;
    this.opts = {
      window: opts.window ?? 8, ackTimeoutMs: opts.ackTimeoutMs ?? 500, maxResends: opts.maxResends ?? 20,
      bannerTimeoutMs: opts.bannerTimeoutMs ?? 10_000, replyTimeoutMs: opts.replyTimeoutMs ?? 10_000,
    };
    port.onData((chunk) => {
      this.dataListener?.();
      this.pending += Buffer.from(chunk).toString('latin1');
      const lines = this.pending.split('\n');
      this.pending = lines.pop()!;
      for (const raw of lines) {
        const line = raw.replace(/\r$/, '');
        this.tail.push(line.length > 200 ? line.slice(0, 200) + '…' : line);
        if (this.tail.length > 5) this.tail.shift();
        this.listener?.(line);
      }
    });
    port.onClose((reason) => {
      this.closed = reason;
      this.closeListener?.(reason);
    });
  }

  get name(): string {
    return this.port.name;
  }

  private error(detail: string): BoardLinkError {
    return new BoardLinkError(this.name, detail);
  }

  private lastLines(): string {
    return this.tail.length ? `; its last lines: ${this.tail.map((l) => JSON.stringify(l)).join(', ')}` : '; it sent nothing';
  }

  /** Finds the board's expected sequence number and its banner (see the module comment). */
  hello(): Promise<BoardBanner> {
    return new Promise<BoardBanner>((resolve, reject) => {
      let guess = 0;
      let answers = 0;
      let prev = '';
      let synced: { seq: number; banner: BoardBanner } | undefined;
      let roundTimer: unknown;
      let done = false;
      const finish = (e?: Error): void => {
        if (done) return;
        done = true;
        this.clock.clear(deadline);
        if (roundTimer !== undefined) this.clock.clear(roundTimer);
        this.listener = undefined;
        this.closeListener = undefined;
        if (e) return reject(e);
        this.seq = synced!.seq;
        this.banner = synced!.banner;
        resolve(synced!.banner);
      };
      const round = (): void => {
        if (done) return;
        answers = 0;
        if (roundTimer !== undefined) this.clock.clear(roundTimer);
        const h = { cmd: 'H' as const, payload: new Uint8Array(0) };
        this.port.write(encodeFrame(h, guess));
        this.port.write(encodeFrame(h, guess + 128));
        this.stats.sent += 2;
        roundTimer = this.clock.set(this.opts.ackTimeoutMs, () => {
          roundTimer = undefined;
          if (synced) return finish();
          this.stats.timeouts++;
          round();
        });
      };
      const deadline = this.clock.set(this.opts.bannerTimeoutMs, () =>
        finish(this.error(`no banner ("ready <runtime> …") from the board within ${this.opts.bannerTimeoutMs / 1000} s: is a spintrain build running on it, and is this its port${this.lastLines()}`)),
      );
      this.listener = (line) => {
        const a = /^a (\d+)/.exec(line);
        const n = /^n (\d+)/.exec(line);
        const banner = parseBanner(line);
        if (line.startsWith('! ')) return finish(this.error(`the board reported an error before training: ${line}`));
        if (banner) {
          const ack = /^a (\d+)$/.exec(prev);
          if (ack) synced = { seq: (Number(ack[1]) + 1) & 0xff, banner };
          else if (!synced) guess = 0; // the board (re)started: it expects 0
        } else if (a || n) {
          answers++;
          if (n && !synced) {
            this.stats.naks++;
            guess = Number(n[1]) & 0xff;
          }
        }
        prev = line;
        if (answers >= 2) {
          if (synced) return finish();
          round(); // a NAK told us the expected seq (or the probes met nothing useful): probe again
        }
      };
      this.closeListener = (reason) => finish(this.error(`the port closed before the board's banner: ${reason}`));
      if (this.closed !== undefined) return finish(this.error(`the port is closed: ${this.closed}`));
      round();
    });
  }

  /**
   * Sends the commands (frames from this.seq on) and gives each reply line to onReply; resolves when every
   * frame is acknowledged and `replies` replies came ('e', 'r', 'p', 'q' lines, a dump's closing 'w').
   * A "!" line is the board's error for a command: it rejects, naming the port.
   */
  exchange(commands: FrameSource, replies: number, onReply: (line: string) => void, onAcked?: (acked: number) => void): Promise<FrameLinkStats> {
    return new Promise<FrameLinkStats>((resolve, reject) => {
      let got = 0;
      let acked = false;
      let done = false;
      let replyTimer: unknown;
      let stats: FrameLinkStats | undefined;
      const finish = (e?: Error): void => {
        if (done) return;
        done = true;
        if (replyTimer !== undefined) this.clock.clear(replyTimer);
        this.listener = undefined;
        this.dataListener = undefined;
        this.closeListener = undefined;
        if (stats) for (const k of Object.keys(this.stats) as (keyof FrameLinkStats)[]) this.stats[k] += stats[k];
        if (e) {
          sender.fail(e);
          return reject(e);
        }
        resolve(stats!);
      };
      const armReply = (): void => {
        if (replyTimer !== undefined) this.clock.clear(replyTimer);
        replyTimer = undefined;
        if (!acked || got >= replies) return;
        replyTimer = this.clock.set(this.opts.replyTimeoutMs, () =>
          finish(this.error(`the board acknowledged every frame up to seq ${(sender.endSeq - 1) & 0xff} but sent ${got} of ${replies} replies, then nothing for ${this.opts.replyTimeoutMs / 1000} s${this.lastLines()}`)),
        );
      };
      const sender = new FrameSender(commands, (f) => this.port.write(f), {
        window: this.opts.window, timeoutMs: this.opts.ackTimeoutMs, maxResends: this.opts.maxResends, startSeq: this.seq, clock: this.clock, name: this.name, onAcked,
      });
      this.listener = (line) => {
        if (done) return;
        if (/^[an] \d+/.test(line)) return sender.onLine(line);
        if (line.startsWith('! ')) return finish(this.error(`the board reported an error: ${line.slice(2)}`));
        if (parseBanner(line)) return finish(this.error(`the board restarted (banner "${line}") during the exchange: its training state is lost`));
        if (/^[erpqw]\b/.test(line)) got++;
        try {
          onReply(line);
        } catch (e) {
          return finish(e as Error);
        }
        if (acked && got >= replies) finish();
      };
      this.dataListener = armReply;
      this.closeListener = (reason) => finish(this.error(`the port closed during the exchange: ${reason}${this.lastLines()}`));
      if (this.closed !== undefined) return finish(this.error(`the port is closed: ${this.closed}`));
      sender.run().then(
        (s) => {
          stats = s;
          this.seq = sender.endSeq;
          acked = true;
          if (got >= replies) finish();
          else armReply();
        },
        (e: Error) => {
          stats = sender.stats;
          finish(e);
        },
      );
    });
  }
}
