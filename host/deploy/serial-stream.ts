/**
 * The board glue's serial protocol (boards/glue/portable/st_protocol.h) from the host side: encodes a
 * training run as the bytes a host streams to a board, and parses the board's text replies.
 */
import type { Parameters } from '../engine/wasm-engine.ts';
import { Q_WEIGHT } from '../engine/config.ts';
import { DeployError } from './errors.ts';

export interface StreamSplit {
  x: Uint8Array;
  y: Uint8Array;
  n: number;
}

/** 'E' epoch, then 'S' label x for each sample in natural order, then 'R'; per epoch. Ends with 'W' and 'Q'. */
export function encodeTrainingStream(split: StreamSplit, inputs: number, epochs: number): Uint8Array {
  const perSample = 2 + inputs;
  const out = new Uint8Array(epochs * (3 + split.n * perSample + 1) + 2);
  let at = 0;
  for (let e = 0; e < epochs; e++) {
    out[at++] = 0x45; // 'E'
    out[at++] = e & 0xff;
    out[at++] = (e >> 8) & 0xff;
    for (let i = 0; i < split.n; i++) {
      out[at++] = 0x53; // 'S'
      out[at++] = split.y[i];
      out.set(split.x.subarray(i * inputs, (i + 1) * inputs), at);
      at += inputs;
    }
    out[at++] = 0x52; // 'R'
  }
  out[at++] = 0x57; // 'W'
  out[at++] = 0x51; // 'Q'
  return out.subarray(0, at);
}

export interface BoardReport {
  /** From the "ready <runtime> <linear bytes>" banner (native and emulator builds). */
  runtime?: string;
  linearBytes?: number;
  /** Per epoch: steps, correct before update, train time [µs] (0 where the board has no clock). */
  epochs: { steps: number; correct: number; trainMicros: number }[];
  parameters: Parameters;
}

/** Parses a board's replies to a stream from encodeTrainingStream; a "!" line becomes a DeployError. */
export function parseBoardReport(text: string, layout: number[]): BoardReport {
  const report: BoardReport = { epochs: [], parameters: { layout: [...layout], fracBits: Q_WEIGHT, weights: [], biases: [] } };
  let done = false;
  for (const line of text.split('\n')) {
    const f = line.trim().split(' ');
    switch (f[0]) {
      case 'ready':
        report.runtime = f[1];
        report.linearBytes = Number(f[2]);
        break;
      case '!':
        throw new DeployError(`board reported error ${f[1]}: ${f.slice(2).join(' ')}`);
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
