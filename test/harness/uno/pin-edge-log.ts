/**
 * The level history of one output pin of an emulated Uno (edges with emulated times), so a circuit can
 * ask the level at any past instant — e.g. a supply current that depends on a marker pin.
 */
import type { UnoEmulator } from './uno-emulator.ts';

export interface PinEdge {
  /** Emulated time of the edge [s]. */
  timeS: number;
  level: 0 | 1;
}

export class PinEdgeLog {
  readonly edges: PinEdge[] = [];
  private readonly initial: 0 | 1;
  private readonly unsubscribe: () => void;

  constructor(
    readonly board: UnoEmulator,
    readonly pin: number,
  ) {
    this.initial = board.pinLevel(pin);
    this.unsubscribe = board.onPinChange(pin, (level, timeS) => this.edges.push({ timeS, level }));
  }

  /** Level at emulated time t [s] (binary search over the edges). */
  levelAt(t: number): 0 | 1 {
    const e = this.edges;
    let lo = 0;
    let hi = e.length; // first edge with timeS > t
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid].timeS <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? this.initial : e[lo - 1].level;
  }

  detach(): void {
    this.unsubscribe();
  }
}
