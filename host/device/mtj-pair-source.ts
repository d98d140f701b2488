/**
 * MtjPairSource: the pair algorithm's PairSource (host/engine/pair-source.ts) served by MTJ pairs.
 *
 * Mapping: neuron j of hidden layer h uses pair (offset_h + j) mod P, offset_h the number of hidden
 * neurons below layer h: one pair per neuron when P ≥ Σ hidden widths, otherwise neurons share pairs.
 * Pre-activation → current: I = I_c + z·I_z (I_z = currentPerUnitA, the current of one pre-activation
 * unit), clamped to the pairs' range; ΔI = stepZ·I_z. Voltage → activation units: ṽ = (V − V_c)/V_u
 * (V_u = voltsPerUnit, V_c = offsetV), sent as Q16. The scales are the nominal device's: the host does
 * not know each pair's mismatch, which therefore reaches the network as it would on a chip.
 * Synchronous when the reader is (SimMtj); otherwise readLayer returns a Promise (johnny-five).
 */
import type { PairSource } from '../engine/pair-source.ts';
import { MtjDeviceError } from './errors.ts';
import { type MtjPairReader, isMtjPairReader, isSyncMtjPairReader } from './mtj-array.ts';

export interface MtjPairScale {
  /** Current of one pre-activation unit, I_z [A]. */
  currentPerUnitA: number;
  /** Current at z = 0, I_c [A]. Default 0. */
  centreCurrentA?: number;
  /** Volts of one activation unit, V_u [V]. */
  voltsPerUnit: number;
  /** Voltage subtracted first, V_c [V]. Default 0. */
  offsetV?: number;
}

export class MtjPairSource implements PairSource {
  private readonly offsets: number[];

  constructor(
    readonly reader: MtjPairReader,
    /** Widths of the hidden layers, in order. */
    hiddenWidths: readonly number[],
    readonly stepZ: number,
    readonly scale: MtjPairScale,
  ) {
    if (!isMtjPairReader(reader)) throw new MtjDeviceError('this MTJ array has no pairs for the finite-difference gradient');
    if (!(stepZ > 0)) throw new RangeError(`stepZ must be positive, got ${stepZ}`);
    this.offsets = hiddenWidths.map((_w, h) => hiddenWidths.slice(0, h).reduce((s, w) => s + w, 0));
  }

  /** Pair serving neuron j of hidden layer h. */
  pairFor(layer: number, j: number): number {
    return ((this.offsets[layer] ?? 0) + j) % this.reader.pairCount;
  }

  /** Read current [A] for a pre-activation (clamped so that I and I + ΔI stay in range). */
  currentFor(z: number): number {
    const { currentPerUnitA: iz, centreCurrentA: ic = 0 } = this.scale;
    const max = this.reader.pairMaxCurrentA;
    const delta = this.stepZ * iz;
    return Math.min(max - delta, Math.max(-max, ic + z * iz));
  }

  readLayer(layer: number, zQ16: Int32Array, out: Int32Array): void | Promise<void> {
    const n = zQ16.length;
    const delta = this.stepZ * this.scale.currentPerUnitA;
    const r = this.reader;
    if (isSyncMtjPairReader(r)) {
      for (let j = 0; j < n; j++) this.store(out, j, r.readPairSync(this.pairFor(layer, j), this.currentFor(zQ16[j] / 65536), delta));
      return;
    }
    return (async () => {
      for (let j = 0; j < n; j++) this.store(out, j, await r.readPair(this.pairFor(layer, j), this.currentFor(zQ16[j] / 65536), delta));
    })();
  }

  private store(out: Int32Array, j: number, [v1, v2]: [number, number]): void {
    const { voltsPerUnit: vu, offsetV: vc = 0 } = this.scale;
    out[2 * j] = Math.round(((v1 - vc) / vu) * 65536);
    out[2 * j + 1] = Math.round(((v2 - vc) / vu) * 65536);
  }
}
