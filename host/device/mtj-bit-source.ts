/**
 * MtjBitSource: p-GAF-BP's BitSource served by an MTJ array and its calibration.
 *
 * Mapping: neuron j of hidden layer `layer` is served by physical device (j + layer) mod N, N the
 * number of calibrated devices (round-robin over the array; with N ≥ layer width every neuron of a
 * layer has its own junction, otherwise neurons share junctions in turn). Both draws of a neuron come
 * from its device, one after the other (write, read, reset, write, read, reset): independent by physics.
 *
 * Probability → current: p = probsQ16[j] / 65536 is clamped to [1/65536, 65535/65536] and converted
 * with the inverse of the device's fitted logistic, I = I50 + ln(p / (1 − p)) / k, then clamped to the
 * array's current limits (p at the extremes saturates to the nearest current the hardware allows):
 * calibration.ts's currentForProbability.
 *
 * The constructor checks that the calibration fits the array (calibration.ts's checkCalibrationFits:
 * board, device indices, pulse width), for every caller; it needs the array's description only, not an
 * open array, so a session builds its source before it touches the hardware.
 *
 * Batching: an array that prefers batched draws (batched-draws.ts: J5Mtj on spintrain's firmware) gets the layer's
 * requests group-major instead: the neurons in groups of N consecutive ones (distinct junctions), all draws of a
 * group before the next group, so each group is one run of rounds at fixed currents (one MTJ_SAMPLE request)
 * instead of the groups taking turns draw by draw (a current change, hence an RC settling, per turn). With
 * N ≥ layer width this is the same order as draw-major. Other arrays are called exactly as before.
 *
 * Synchronous when the array is (SimMtj): sampleLayer returns void, so the engine can call it inside
 * its `env.mtj_sample` import. Otherwise (johnny-five) sampleLayer returns a Promise.
 */
import type { BitSource } from '../engine/bit-source.ts';
import { type Calibration, type DeviceCalibration, checkCalibrationFits, currentForProbability } from './calibration.ts';
import { prefersBatchedDraws } from './batched-draws.ts';
import { MtjDeviceError } from './errors.ts';
import { type MtjArray, type SampleRequest, type SyncMtjArray, isSyncMtjArray } from './mtj-array.ts';

export class MtjBitSource implements BitSource {
  /** Calibrated devices in physical-index order; slot s of the round-robin is devices[s]. */
  private readonly devices: DeviceCalibration[];
  private readonly widthS: number;
  private requests: SampleRequest[] = [];
  /** Group-major order (batched arrays): out index (j · draws + d) of request k. */
  private order: Int32Array = new Int32Array(0);

  /**
   * `file` names where the calibration came from in the CalibrationFileError of a calibration that does not
   * fit the array.
   */
  constructor(
    readonly array: MtjArray,
    readonly calibration: Calibration,
    file = '(in memory)',
  ) {
    checkCalibrationFits(calibration, array, file);
    this.devices = [...calibration.devices].sort((a, b) => a.device - b.device);
    this.widthS = calibration.pulseWidthS;
  }

  /** True when sampleLayer completes synchronously. */
  get isSync(): boolean {
    return isSyncMtjArray(this.array);
  }

  /** Physical device index serving neuron j of `layer`: (j + layer) mod N over the calibrated devices. */
  deviceFor(layer: number, j: number): number {
    return this.devices[(j + layer) % this.devices.length].device;
  }

  /** Write current [A] giving probability p (Q16) on the device serving (layer, j). */
  currentFor(layer: number, j: number, pQ16: number): number {
    const d = this.devices[(j + layer) % this.devices.length];
    return currentForProbability(d, Math.min(65535, Math.max(1, pQ16)) / 65536, this.array.limits);
  }

  sampleLayer(layer: number, probsQ16: Int32Array, draws: number, out: Uint8Array): void | Promise<void> {
    if (prefersBatchedDraws(this.array) && !isSyncMtjArray(this.array)) {
      const requests = this.buildGroupedRequests(layer, probsQ16, draws);
      return this.array.sample(requests).then((bits) => {
        for (let k = 0; k < bits.length; k++) out[this.order[k]] = bits[k];
      });
    }
    const requests = this.buildRequests(layer, probsQ16, draws);
    if (isSyncMtjArray(this.array)) {
      this.scatter(this.array.sampleSync(requests), probsQ16.length, draws, out);
      return;
    }
    return this.array.sample(requests).then((bits) => this.scatter(bits, probsQ16.length, draws, out));
  }

  /** The synchronous path; throws if the array cannot run synchronously. */
  sampleLayerSync(layer: number, probsQ16: Int32Array, draws: number, out: Uint8Array): void {
    if (!isSyncMtjArray(this.array)) throw new MtjDeviceError('this MTJ array has no synchronous sampling path');
    const requests = this.buildRequests(layer, probsQ16, draws);
    this.scatter((this.array as SyncMtjArray).sampleSync(requests), probsQ16.length, draws, out);
  }

  close(): Promise<void> {
    return this.array.close();
  }

  /** Requests in draw-major order (draw 0 of every neuron, then draw 1 …): a batch touches distinct devices first. */
  private buildRequests(layer: number, probsQ16: Int32Array, draws: number): SampleRequest[] {
    const n = probsQ16.length;
    const total = n * draws;
    if (this.requests.length !== total) {
      this.requests = Array.from({ length: total }, () => ({ device: 0, currentA: 0, widthS: this.widthS }));
    }
    for (let j = 0; j < n; j++) {
      const device = this.deviceFor(layer, j);
      const currentA = this.currentFor(layer, j, probsQ16[j]);
      for (let d = 0; d < draws; d++) {
        const r = this.requests[d * n + j];
        r.device = device;
        r.currentA = currentA;
      }
    }
    return this.requests;
  }

  /** Requests group-major: neurons [g·N, (g+1)·N) (distinct devices), draw-major within the group, group after group. */
  private buildGroupedRequests(layer: number, probsQ16: Int32Array, draws: number): SampleRequest[] {
    const n = probsQ16.length;
    const total = n * draws;
    const group = this.devices.length;
    if (this.requests.length !== total) {
      this.requests = Array.from({ length: total }, () => ({ device: 0, currentA: 0, widthS: this.widthS }));
    }
    if (this.order.length !== total) this.order = new Int32Array(total);
    let k = 0;
    for (let g0 = 0; g0 < n; g0 += group) {
      const g1 = Math.min(n, g0 + group);
      for (let d = 0; d < draws; d++) {
        for (let j = g0; j < g1; j++) {
          const r = this.requests[k];
          r.device = this.deviceFor(layer, j);
          r.currentA = this.currentFor(layer, j, probsQ16[j]);
          this.order[k++] = j * draws + d;
        }
      }
    }
    return this.requests;
  }

  private scatter(bits: Uint8Array, n: number, draws: number, out: Uint8Array): void {
    for (let d = 0; d < draws; d++) for (let j = 0; j < n; j++) out[j * draws + d] = bits[d * n + j];
  }
}
