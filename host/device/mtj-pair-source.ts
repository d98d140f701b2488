/**
 * MtjPairSource: the pair algorithm's PairSource (host/engine/pair-source.ts) served by MTJ pairs.
 *
 * Mapping: neuron j of hidden layer h uses pair (offset_h + j) mod P, offset_h the number of hidden
 * neurons below layer h: one pair per neuron when P ≥ Σ hidden widths, otherwise neurons share pairs.
 * Pre-activation → current: I = I_c + z·I_z (I_z = currentPerUnitA, the current of one pre-activation
 * unit), clamped to the pairs' range; ΔI = stepZ·I_z. Voltage → activation units: ṽ = (V − V_c)/V_u
 * (V_u = voltsPerUnit, V_c = offsetV), sent as Q16. The scales are the nominal device's: the host does
 * not know each pair's mismatch, which therefore reaches the network as it would on a chip.
 * Twin calibration (optional, calibrateTwins): the twins' mismatch enters the gradient as
 * D(I)/ΔI with D = V_B − V_A, which in saturation is ±(a_B − a_A)/ΔI: large and of either sign. Reading
 * both twins at the same current over a grid measures D(I) once; readLayer then subtracts D(I),
 * interpolated linearly, from V2, leaving g ≈ V_A′(I) + D′(I) + noise·√2/ΔI.
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
  /** Per pair, D(I) on the calibration grid [V] (empty: not calibrated). */
  private twinDiff: Float64Array[] = [];
  private grid: number[] = [];

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

  /**
   * Measures D(I) = V_B(I) − V_A(I) of every pair at `points` currents over the range, averaging
   * `reads` reads per point (points·reads pair reads per pair). Synchronous on a synchronous reader.
   */
  calibrateTwins(points = 33, reads = 8): void | Promise<void> {
    const max = this.reader.pairMaxCurrentA;
    const grid = Array.from({ length: points }, (_v, i) => -max + (2 * max * i) / (points - 1));
    const diffs = Array.from({ length: this.reader.pairCount }, () => new Float64Array(points));
    const add = (p: number, i: number, [va, vb]: [number, number]): void => void (diffs[p][i] += (vb - va) / reads);
    const done = (): void => {
      this.grid = grid;
      this.twinDiff = diffs;
    };
    const r = this.reader;
    if (isSyncMtjPairReader(r)) {
      for (let p = 0; p < r.pairCount; p++) for (let i = 0; i < points; i++) for (let t = 0; t < reads; t++) add(p, i, r.readPairSync(p, grid[i], 0));
      return done();
    }
    return (async () => {
      for (let p = 0; p < r.pairCount; p++) for (let i = 0; i < points; i++) for (let t = 0; t < reads; t++) add(p, i, await r.readPair(p, grid[i], 0));
      done();
    })();
  }

  /** D(I) of a pair by linear interpolation on the calibration grid (0 when not calibrated). */
  twinDifference(pair: number, currentA: number): number {
    const d = this.twinDiff[pair];
    if (!d) return 0;
    const g = this.grid;
    const x = ((currentA - g[0]) / (g[g.length - 1] - g[0])) * (g.length - 1);
    const i = Math.min(g.length - 2, Math.max(0, Math.floor(x)));
    const f = Math.min(1, Math.max(0, x - i));
    return d[i] * (1 - f) + d[i + 1] * f;
  }

  readLayer(layer: number, zQ16: Int32Array, out: Int32Array): void | Promise<void> {
    const n = zQ16.length;
    const delta = this.stepZ * this.scale.currentPerUnitA;
    const r = this.reader;
    if (isSyncMtjPairReader(r)) {
      for (let j = 0; j < n; j++) {
        const p = this.pairFor(layer, j);
        const i = this.currentFor(zQ16[j] / 65536);
        this.store(out, j, r.readPairSync(p, i, delta), this.twinDifference(p, i));
      }
      return;
    }
    return (async () => {
      for (let j = 0; j < n; j++) {
        const p = this.pairFor(layer, j);
        const i = this.currentFor(zQ16[j] / 65536);
        this.store(out, j, await r.readPair(p, i, delta), this.twinDifference(p, i));
      }
    })();
  }

  private store(out: Int32Array, j: number, [v1, v2raw]: [number, number], twinDiffV: number): void {
    const v2 = v2raw - twinDiffV;
    const { voltsPerUnit: vu, offsetV: vc = 0 } = this.scale;
    out[2 * j] = Math.round(((v1 - vc) / vu) * 65536);
    out[2 * j + 1] = Math.round(((v2 - vc) / vu) * 65536);
  }
}
