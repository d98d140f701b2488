/**
 * A faulty host → board line for the link tests: each frame written passes unchanged, or (with
 * probability `rate`, from a seeded generator, so a run is reproducible) suffers one fault — a byte
 * dropped, a byte flipped, a junk byte inserted (sometimes a command letter), a run of bytes lost, the
 * frame cut short, or the whole frame lost. Counts what it did.
 */
import { Rng } from '../../host/rng.ts';

export type Fault = 'drop' | 'flip' | 'insert' | 'burst' | 'truncate' | 'lose';
const FAULTS: Fault[] = ['drop', 'flip', 'insert', 'burst', 'truncate', 'lose'];

export interface LossyChannel {
  (frame: Uint8Array): Uint8Array;
  faults: Record<Fault, number>;
  frames: number;
}

export function lossyChannel(seed: number, rate: number): LossyChannel {
  const rng = new Rng(seed);
  const faults = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>;
  const ch = ((frame: Uint8Array): Uint8Array => {
    ch.frames++;
    if (rng.next() >= rate) return frame;
    const kind = FAULTS[rng.int(FAULTS.length)];
    faults[kind]++;
    const at = rng.int(frame.length);
    const b = Array.from(frame);
    switch (kind) {
      case 'drop': b.splice(at, 1); break;
      case 'flip': b[at] ^= 1 + rng.int(255); break;
      case 'insert': b.splice(at, 0, rng.next() < 0.5 ? 'SPERWQH'.charCodeAt(rng.int(7)) : rng.int(256)); break;
      case 'burst': b.splice(at, 1 + rng.int(8)); break;
      case 'truncate': b.length = at; break;
      case 'lose': b.length = 0; break;
    }
    return Uint8Array.from(b);
  }) as LossyChannel;
  ch.faults = faults;
  ch.frames = 0;
  return ch;
}
