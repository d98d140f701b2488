/**
 * MtjArray: the driver interface of an array of SOT magnetic tunnel junctions used as
 * tunable random bit generators, in the spirit of node-serialport's `BindingInterface`:
 * one small typed interface, several implementations (simulation, johnny-five on a
 * Firmata board, emulated board), all checked by one contract suite (test/device/mtj-contract.ts).
 *
 * One sample of device d = write pulse of current I [A] and width t_p [s] through its SOT line
 * (switches P → AP with probability P_sw(I, t_p)), read the junction (AP = 1, P = 0), reset to P.
 */
import { CurrentOutOfRangeError, DeviceIndexError, PulseWidthOutOfRangeError } from './errors.ts';

/** One write–read–reset cycle on one device. */
export interface SampleRequest {
  /** Device index in [0, deviceCount). */
  device: number;
  /** Write current amplitude [A], within [limits.minCurrentA, limits.maxCurrentA]. */
  currentA: number;
  /** Write pulse width [s]; default limits.defaultWidthS. */
  widthS?: number;
}

/** What an array accepts; anything outside is refused with a typed error before touching hardware. */
export interface MtjLimits {
  /** Write current range [A]. */
  minCurrentA: number;
  maxCurrentA: number;
  /** Write pulse width range [s] (min = max when the width is fixed by a hardware one-shot). */
  minWidthS: number;
  maxWidthS: number;
  defaultWidthS: number;
  /** Read bias current range [A] for readVoltage (min = max when the bias source is fixed). */
  minBiasCurrentA: number;
  maxBiasCurrentA: number;
}

export interface MtjArray {
  /** Board/profile id (calibration files are tied to it). */
  readonly boardId: string;
  /** Number of junctions N. Valid after open(). */
  readonly deviceCount: number;
  readonly limits: MtjLimits;
  /** True between a successful open() and close(). */
  readonly isOpen: boolean;

  /** Set up the N devices (connect, configure pins, reset every junction to P). Idempotent once open. */
  open(): Promise<void>;

  /**
   * Run the requests and return one bit per request, out[i] for requests[i]: 1 if the junction read AP
   * after the write pulse, 0 if P. Each device is reset to P after its read.
   * Semantics are those of running the requests one by one in array order; an implementation may run
   * requests on distinct devices at once (one shared pulse), never two on the same device.
   * Validation of every request (device index, current, width) happens before any of them runs:
   * DeviceIndexError / CurrentOutOfRangeError / PulseWidthOutOfRangeError. Not open: DeviceNotOpenError.
   */
  sample(requests: readonly SampleRequest[]): Promise<Uint8Array>;

  /**
   * Junction voltage [V] of `device` in its present state (P after a sample) while the read bias
   * current `biasCurrentA` [A] flows; no write, no reset. For the MTJ-pair finite-difference gradient
   * (V(I + ΔI) − V(I)) / ΔI of a later issue. Out-of-range bias: CurrentOutOfRangeError.
   */
  readVoltage(device: number, biasCurrentA: number): Promise<number>;

  /**
   * Optional: the current [A] actually applied when `currentA` is requested on `device` (e.g. rounded to
   * the PWM/DAC code). Absent means the current is applied exactly.
   */
  quantizeCurrentA?(device: number, currentA: number): number;

  /** Release the hardware. Afterwards every call but open()/close() throws DeviceNotOpenError. */
  close(): Promise<void>;
}

/**
 * Optional capability: MTJ pairs read for the finite-difference gradient (V(I + ΔI) − V(I)) / ΔI.
 * Pair p is two nominally identical junctions (twins A and B); readPair drives A with `currentA` and B
 * with `currentA + deltaA` and returns both junction voltages [V]. Currents outside
 * [−pairMaxCurrentA, pairMaxCurrentA]: CurrentOutOfRangeError; bad pair index: DeviceIndexError;
 * not open: DeviceNotOpenError.
 */
export interface MtjPairReader {
  readonly pairCount: number;
  readonly pairMaxCurrentA: number;
  readPair(pair: number, currentA: number, deltaA: number): Promise<[number, number]>;
}

/** A pair reader that can also run synchronously (the simulation). */
export interface SyncMtjPairReader extends MtjPairReader {
  readPairSync(pair: number, currentA: number, deltaA: number): [number, number];
}

export function isMtjPairReader(a: object): a is MtjPairReader {
  return typeof (a as Partial<MtjPairReader>).readPair === 'function' && ((a as Partial<MtjPairReader>).pairCount ?? 0) > 0;
}

export function isSyncMtjPairReader(a: object): a is SyncMtjPairReader {
  return isMtjPairReader(a) && typeof (a as Partial<SyncMtjPairReader>).readPairSync === 'function';
}

/** Validate a readPair call. */
export function validatePairRead(pair: number, currentA: number, deltaA: number, pairCount: number, maxCurrentA: number): void {
  if (!Number.isInteger(pair) || pair < 0 || pair >= pairCount) throw new DeviceIndexError(pair, pairCount);
  if (!(Math.abs(currentA) <= maxCurrentA)) throw new CurrentOutOfRangeError('currentA', currentA, -maxCurrentA, maxCurrentA);
  if (!(Math.abs(currentA + deltaA) <= maxCurrentA)) throw new CurrentOutOfRangeError('currentA + deltaA', currentA + deltaA, -maxCurrentA, maxCurrentA);
}

/** An array that can also run synchronously (the simulation): for use inside a wasm import. */
export interface SyncMtjArray extends MtjArray {
  sampleSync(requests: readonly SampleRequest[], out?: Uint8Array): Uint8Array;
  readVoltageSync(device: number, biasCurrentA: number): number;
}

export function isSyncMtjArray(a: MtjArray): a is SyncMtjArray {
  return typeof (a as Partial<SyncMtjArray>).sampleSync === 'function';
}

/** Validate every request against limits and device count; throws the typed error of the first bad one. */
export function validateSampleRequests(
  requests: readonly SampleRequest[],
  limits: MtjLimits,
  deviceCount: number,
  pinOf?: (device: number) => string | number,
): void {
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i];
    if (!Number.isInteger(r.device) || r.device < 0 || r.device >= deviceCount) {
      throw new DeviceIndexError(r.device, deviceCount);
    }
    const pin = pinOf?.(r.device);
    if (!(r.currentA >= limits.minCurrentA && r.currentA <= limits.maxCurrentA)) {
      throw new CurrentOutOfRangeError(`requests[${i}].currentA`, r.currentA, limits.minCurrentA, limits.maxCurrentA, pin);
    }
    const w = r.widthS ?? limits.defaultWidthS;
    // 1e-9 relative slack so a fixed width survives float round trips.
    if (!(w >= limits.minWidthS * (1 - 1e-9) && w <= limits.maxWidthS * (1 + 1e-9))) {
      throw new PulseWidthOutOfRangeError(`requests[${i}].widthS`, w, limits.minWidthS, limits.maxWidthS, pin);
    }
  }
}

/** Validate a readVoltage call. */
export function validateBias(device: number, biasCurrentA: number, limits: MtjLimits, deviceCount: number, pin?: string | number): void {
  if (!Number.isInteger(device) || device < 0 || device >= deviceCount) throw new DeviceIndexError(device, deviceCount);
  // Fixed bias sources: accept within 1e-6 relative of the single allowed value.
  const lo = limits.minBiasCurrentA * (1 - 1e-6);
  const hi = limits.maxBiasCurrentA * (1 + 1e-6);
  if (!(biasCurrentA >= lo && biasCurrentA <= hi)) {
    throw new CurrentOutOfRangeError('biasCurrentA', biasCurrentA, limits.minBiasCurrentA, limits.maxBiasCurrentA, pin);
  }
}
