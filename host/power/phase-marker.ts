/**
 * PhaseMarker: the host drives a marker pin over Firmata (digitalWrite) at training-phase boundaries and
 * logs each edge on its PowerClock, so a power trace can be cut into phases and samples.
 *
 * Protocol on the pin: a sync pulse (HIGH for syncS), then per training sample k: LOW at the start of
 * its forward pass, HIGH at the start of its backward pass + update; LOW at the end. So the sync's
 * falling edge starts sample 0, and on the pin LOW = forward, HIGH = backward+update.
 * Each edge is stamped when the board applies it: t = t_send + 3 bytes·10/baud + linkLatencyS
 * (a Firmata DIGITAL_MESSAGE is 3 bytes; the host→board line is otherwise idle while training).
 */
import type { FirmataIo } from './firmata-board.ts';
import type { PowerClock } from './power-clock.ts';

export type MarkerPhase = 'sync' | 'forward' | 'backward' | 'end';

export interface MarkerEvent {
  /** Host-clock time the board applied the edge [s]. */
  tS: number;
  phase: MarkerPhase;
  /** Training sample index (−1 for sync). */
  sample: number;
  level: 0 | 1;
}

const LEVEL: Record<MarkerPhase, 0 | 1> = { sync: 1, forward: 0, backward: 1, end: 0 };

export interface PhaseMarkerOptions {
  io: FirmataIo;
  pin: number;
  clock: PowerClock;
  baud?: number;
  linkLatencyS?: number;
}

export class PhaseMarker {
  readonly events: MarkerEvent[] = [];
  private readonly latencyS: number;

  constructor(readonly options: PhaseMarkerOptions) {
    this.latencyS = (3 * 10) / (options.baud ?? 57600) + (options.linkLatencyS ?? 0);
    options.io.pinMode(options.pin, options.io.MODES.OUTPUT);
    options.io.digitalWrite(options.pin, 0);
  }

  mark(phase: MarkerPhase, sample = -1): void {
    const level = LEVEL[phase];
    this.options.io.digitalWrite(this.options.pin, level);
    this.events.push({ tS: this.options.clock.now() + this.latencyS, phase, sample, level });
  }
}
