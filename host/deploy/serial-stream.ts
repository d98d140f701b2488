/**
 * The board glue's serial protocol (boards/glue/portable/st_protocol.h, st_frame.h) from the host side:
 * encodes commands as frames — cmd:u8 seq:u8 len:u16le payload crc:u16le, CRC-16/CCITT-FALSE over cmd,
 * seq, len and payload (crc16.ts) — and parses the board's text replies, including its ACK/NAK lines and
 * the draw source its banner names. frame-link.ts sends frames with acknowledgement and resends.
 */
import type { Parameters } from '../engine/wasm-engine.ts';
import { Q_WEIGHT } from '../engine/config.ts';
import { crc16 } from './crc16.ts';
import { DeployError } from './errors.ts';

export interface StreamSplit {
  x: Uint8Array;
  y: Uint8Array;
  n: number;
}

/** One host → board command: its letter and payload (fixed length per command, st_protocol.h). */
export interface BoardCommand {
  cmd: 'S' | 'P' | 'E' | 'R' | 'W' | 'H' | 'Q';
  payload: Uint8Array;
}

export const FRAME_OVERHEAD = 6;
/** Largest payload a board's frame buffer holds (ST_FRAME_MAX_PAYLOAD): 'S' = label + 1,024 inputs. */
export const MAX_FRAME_PAYLOAD = 1 + 1024;

/** The frame of a command with sequence number seq (mod 256). */
export function encodeFrame(c: BoardCommand, seq: number): Uint8Array {
  const len = c.payload.length;
  const f = new Uint8Array(FRAME_OVERHEAD + len);
  f[0] = c.cmd.charCodeAt(0);
  f[1] = seq & 0xff;
  f[2] = len & 0xff;
  f[3] = (len >> 8) & 0xff;
  f.set(c.payload, 4);
  const crc = crc16(f.subarray(0, 4 + len));
  f[4 + len] = crc & 0xff;
  f[5 + len] = crc >> 8;
  return f;
}

/** Frames 0, 1, 2, … of the commands, back to back (a stream sent without waiting for ACKs). */
export function encodeCommands(commands: BoardCommand[]): Uint8Array {
  const frames = commands.map((c, i) => encodeFrame(c, i));
  const out = new Uint8Array(frames.reduce((s, f) => s + f.length, 0));
  let at = 0;
  for (const f of frames) (out.set(f, at), (at += f.length));
  return out;
}

const none = new Uint8Array(0);

/** Per epoch: 'E' epoch, 'S' label x for each sample in natural order, 'R'. Then 'P' x for each of `predict`, 'W' and 'Q'. */
export function trainingCommands(split: StreamSplit, inputs: number, epochs: number, predict?: StreamSplit): BoardCommand[] {
  const out: BoardCommand[] = [];
  for (let e = 0; e < epochs; e++) {
    out.push({ cmd: 'E', payload: Uint8Array.of(e & 0xff, (e >> 8) & 0xff) });
    for (let i = 0; i < split.n; i++) {
      const payload = new Uint8Array(1 + inputs);
      payload[0] = split.y[i];
      payload.set(split.x.subarray(i * inputs, (i + 1) * inputs), 1);
      out.push({ cmd: 'S', payload });
    }
    out.push({ cmd: 'R', payload: none });
  }
  for (let i = 0; i < (predict?.n ?? 0); i++) out.push({ cmd: 'P', payload: predict!.x.slice(i * inputs, (i + 1) * inputs) });
  out.push({ cmd: 'W', payload: none }, { cmd: 'Q', payload: none });
  return out;
}

/** The frames of trainingCommands as one stream. */
export function encodeTrainingStream(split: StreamSplit, inputs: number, epochs: number): Uint8Array {
  return encodeCommands(trainingCommands(split, inputs, epochs));
}

/**
 * Where the board's p-GAF draws (or pair reads) come from, from its banner (st_protocol.h):
 * module-prng (the module's generator), sim (simulated HAL), mtj (the MTJ daughter board), mtj-pairs,
 * chip-rng (no MTJ circuit on the board), chip-rng-probe-failed (the daughter board did not answer its
 * probe: the chip's random generator stands in), none (pair algorithm without pairs).
 */
export type DrawSource = 'module-prng' | 'sim' | 'mtj' | 'mtj-pairs' | 'chip-rng' | 'chip-rng-probe-failed' | 'none';
const DRAW_SOURCES: readonly string[] = ['module-prng', 'sim', 'mtj', 'mtj-pairs', 'chip-rng', 'chip-rng-probe-failed', 'none'];

/** A one-line description of a draw source for the user. */
export function describeDrawSource(s: DrawSource): string {
  switch (s) {
    case 'module-prng': return 'the module’s own generator (no MTJs)';
    case 'sim': return 'simulated MTJs';
    case 'mtj': return 'the MTJ daughter board';
    case 'mtj-pairs': return 'the MTJ pairs';
    case 'chip-rng': return 'the chip’s hardware random generator (the board has no MTJ circuit)';
    case 'chip-rng-probe-failed': return 'the chip’s hardware random generator: the MTJ daughter board did not answer its probe (fitted? powered?)';
    case 'none': return 'nothing: the pair algorithm needs MTJ pairs, which this board lacks';
  }
}

/** The board draws from something other than its MTJs although the run was built for them. */
export class BoardDrawSourceError extends DeployError {
  constructor(readonly drawSource: DrawSource) {
    super(`board draws from ${describeDrawSource(drawSource)} (banner "draws ${drawSource}")`);
  }
}

/** Throws BoardDrawSourceError unless the board reports its MTJs (or MTJ pairs) as the draw source. */
export function requireMtjDraws(report: Pick<BoardReport, 'drawSource'>): void {
  if (report.drawSource !== 'mtj' && report.drawSource !== 'mtj-pairs') throw new BoardDrawSourceError(report.drawSource ?? 'none');
}

export interface LinkCounts {
  /** "a <seq>" lines: frames accepted (or re-acknowledged resends). */
  acks: number;
  /** "n <seq> crc": frames that failed their CRC. */
  crcNaks: number;
  /** "n <seq> order": good frames that came ahead of a lost one. */
  orderNaks: number;
  /** "n <seq> size": frames longer than the board's frame buffer. */
  sizeNaks: number;
}

export interface BoardReport {
  /** From the banner "ready <runtime> <linear bytes> draws <source>". */
  runtime?: string;
  linearBytes?: number;
  drawSource?: DrawSource;
  /** Per epoch: steps, correct before update, train time [µs] (0 where the board has no clock). */
  epochs: { steps: number; correct: number; trainMicros: number }[];
  /** "p <class>" replies, in order. */
  predictions: number[];
  parameters: Parameters;
  link: LinkCounts;
}

/** Parses a board's replies (banner, ACK/NAK lines, reports, dump); a "!" line becomes a DeployError. */
export function parseBoardReport(text: string, layout: number[]): BoardReport {
  const report: BoardReport = {
    epochs: [], predictions: [], parameters: { layout: [...layout], fracBits: Q_WEIGHT, weights: [], biases: [] }, link: { acks: 0, crcNaks: 0, orderNaks: 0, sizeNaks: 0 },
  };
  let done = false;
  for (const line of text.split('\n')) {
    const f = line.trim().split(' ');
    switch (f[0]) {
      case 'ready':
        report.runtime = f[1];
        report.linearBytes = Number(f[2]);
        if (f[3] === 'draws') {
          if (!DRAW_SOURCES.includes(f[4])) throw new DeployError(`board banner names an unknown draw source "${f[4]}": ${line}`);
          report.drawSource = f[4] as DrawSource;
        }
        break;
      case '!':
        throw new DeployError(`board reported error ${f[1]}: ${f.slice(2).join(' ')}`);
      case 'a':
        report.link.acks++;
        break;
      case 'n':
        if (f[2] === 'crc') report.link.crcNaks++;
        else if (f[2] === 'size') report.link.sizeNaks++;
        else report.link.orderNaks++;
        break;
      case 'p':
        report.predictions.push(Number(f[1]));
        break;
      case 'r':
        report.epochs.push({ steps: Number(f[1]), correct: Number(f[2]), trainMicros: Number(f[3]) });
        break;
      case 't': {
        const l = Number(f[1].slice(1));
        const values = Int32Array.from(f.slice(3), (h) => parseInt(h, 16) | 0);
        if (values.length !== Number(f[2])) throw new DeployError(`board dump ${f[1]}: expected ${f[2]} values, got ${values.length}`);
        (f[1][0] === 'W' ? report.parameters.weights : report.parameters.biases)[l] = values;
        break;
      }
      case 'w':
        done = true;
        break;
    }
  }
  if (!done) throw new DeployError(`board output ended before the weight dump finished:\n${text.slice(-2000)}`);
  return report;
}
