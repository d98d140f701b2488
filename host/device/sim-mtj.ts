/**
 * SimMtj: physics-based simulated array of SOT-MTJs (the default device).
 *
 * Write: P → AP with P_sw(I, t_p) of sot-switching.ts, per-device Δ_i, Ic0_i.
 * Read:  a read bias current I_b flows through the junction; V = I_b · R(state, V) + N(0, σ_read²);
 *        bit = V > I_b · R_ref with R_ref = R_P0 · √(1 + TMR0) (geometric mid-point of the nominal R_P, R_AP).
 *        TMR rolls off with bias: R_AP(V) = R_P · (1 + TMR / (1 + (V/V_h)²)).
 * Reset: back to P (deterministic).
 * Device-to-device variability: Gaussian, drawn once at construction from the seeded Rng.
 * Pairs (optional, config.pairCount > 0): twin junctions for the finite-difference gradient with the
 * I–V model of pair-iv-model.ts (their own mismatch and read-noise streams, so enabling pairs leaves
 * the switching and read streams of the array unchanged).
 */
import { Rng } from '../rng.ts';
import { DeviceNotOpenError } from './errors.ts';
import { type MtjLimits, type SampleRequest, type SyncMtjArray, type SyncMtjPairReader, validateBias, validatePairRead, validateSampleRequests } from './mtj-array.ts';
import { type PairIvConfig, type PairJunction, defaultPairIvConfig, drawPairJunctions, pairJunctionVoltage } from './pair-iv-model.ts';
import { type SwitchingParams, logisticBridge, switchingProbability } from './sot-switching.ts';

export interface SimMtjConfig {
  /** Number of junctions N. Default 16. */
  deviceCount: number;
  /** Attempt time τ0 [s]. Default 1 ns. */
  tau0S: number;
  /** Mean thermal stability Δ. Default 50 (40 practical minimum, ≥ 60 for 10-year retention). */
  delta: number;
  /** Coefficient of variation of Δ across devices. Default 0.077. */
  deltaCv: number;
  /** Mean critical current Ic0 [A]. Default 1 mA. */
  ic0A: number;
  /** CV of Ic0. Default 0.03. */
  ic0Cv: number;
  /** Parallel-state resistance R_P [Ω]. Default 2 kΩ. */
  rPOhm: number;
  /** CV of R_P. Default 0.05. */
  rPCv: number;
  /** Zero-bias TMR = (R_AP − R_P)/R_P. Default 1.5 (150 %). */
  tmr: number;
  /** CV of TMR. Default 0.10. */
  tmrCv: number;
  /** Bias voltage halving the TMR, V_h [V]. Default 1 V. */
  tmrHalfBiasV: number;
  /** Read bias current for sample reads [A]. Default 100 µA. */
  readBiasA: number;
  /** Gaussian read-noise σ on the junction voltage [V]. Default 5 mV. */
  readNoiseV: number;
  /** Default write pulse width [s]. Default 10 ns. */
  pulseWidthS: number;
  /** Accepted write current range [A]. Default [0, 2 mA]. */
  minCurrentA: number;
  maxCurrentA: number;
  /** Accepted pulse widths [s]. Default [0.1 ns, 1 ms]. */
  minWidthS: number;
  maxWidthS: number;
  /** Accepted read bias range [A]. Default [0, 1 mA]. */
  maxBiasCurrentA: number;
  /** Board id written into calibrations. Default 'sim'. */
  boardId: string;
  /** MTJ pairs for the finite-difference gradient (twins A, B each). Default 0 (none). */
  pairCount: number;
  /** Their I–V model and mismatch (pair-iv-model.ts); fields not given take the defaults. */
  pairIv: Partial<PairIvConfig>;
}

export const defaultSimMtjConfig: Readonly<SimMtjConfig> = Object.freeze({
  deviceCount: 16,
  tau0S: 1e-9,
  delta: 50,
  deltaCv: 0.077,
  ic0A: 1e-3,
  ic0Cv: 0.03,
  rPOhm: 2000,
  rPCv: 0.05,
  tmr: 1.5,
  tmrCv: 0.1,
  tmrHalfBiasV: 1.0,
  readBiasA: 100e-6,
  readNoiseV: 0.005,
  pulseWidthS: 10e-9,
  minCurrentA: 0,
  maxCurrentA: 2e-3,
  minWidthS: 1e-10,
  maxWidthS: 1e-3,
  maxBiasCurrentA: 1e-3,
  boardId: 'sim',
  pairCount: 0,
  pairIv: {},
});

/** The drawn parameters of one junction. */
export interface SimMtjDeviceParams extends SwitchingParams {
  rPOhm: number;
  tmr: number;
}

export class SimMtj implements SyncMtjArray, SyncMtjPairReader {
  readonly config: Readonly<SimMtjConfig>;
  readonly boardId: string;
  readonly deviceCount: number;
  readonly limits: MtjLimits;
  /** Per-device drawn parameters (device-to-device variability). */
  readonly params: readonly SimMtjDeviceParams[];
  /** Junction states: 0 = P, 1 = AP. */
  readonly states: Uint8Array;
  private readonly rng: Rng;
  private readonly thresholdOhm: number;
  readonly pairCount: number;
  readonly pairMaxCurrentA: number;
  readonly pairIv: Readonly<PairIvConfig>;
  /** Per pair, the drawn twins A and B. */
  readonly pairs: readonly [PairJunction, PairJunction][];
  private readonly pairNoise: Rng;
  private open_ = false;

  /** `seed` seeds both the device variability and the switching/read-noise stream. */
  constructor(config: Partial<SimMtjConfig> = {}, seed = 1) {
    const c = { ...defaultSimMtjConfig, ...config };
    this.config = Object.freeze(c);
    this.boardId = c.boardId;
    this.deviceCount = c.deviceCount;
    this.limits = Object.freeze({
      minCurrentA: c.minCurrentA,
      maxCurrentA: c.maxCurrentA,
      minWidthS: c.minWidthS,
      maxWidthS: c.maxWidthS,
      defaultWidthS: c.pulseWidthS,
      minBiasCurrentA: 0,
      maxBiasCurrentA: c.maxBiasCurrentA,
    });
    const root = new Rng(seed);
    const variability = root.fork();
    this.rng = root.fork();
    const draw = (mean: number, cv: number, floor: number) => Math.max(floor, variability.normal(mean, mean * cv));
    this.params = Object.freeze(
      Array.from({ length: c.deviceCount }, () => ({
        tau0S: c.tau0S,
        delta: draw(c.delta, c.deltaCv, 1),
        ic0A: draw(c.ic0A, c.ic0Cv, c.ic0A * 0.1),
        rPOhm: draw(c.rPOhm, c.rPCv, c.rPOhm * 0.1),
        tmr: draw(c.tmr, c.tmrCv, 0.05),
      })),
    );
    this.states = new Uint8Array(c.deviceCount);
    this.thresholdOhm = c.rPOhm * Math.sqrt(1 + c.tmr);
    this.pairIv = Object.freeze({ ...defaultPairIvConfig, ...c.pairIv });
    this.pairCount = c.pairCount;
    this.pairMaxCurrentA = this.pairIv.maxCurrentA;
    const pairRoot = root.fork(); // after the array's own forks: their streams do not change
    this.pairs = Object.freeze(drawPairJunctions(c.pairCount, this.pairIv, pairRoot.fork()));
    this.pairNoise = pairRoot.fork();
  }

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    this.openSync();
  }

  openSync(): void {
    this.states.fill(0);
    this.open_ = true;
  }

  async close(): Promise<void> {
    this.open_ = false;
  }

  async sample(requests: readonly SampleRequest[]): Promise<Uint8Array> {
    return this.sampleSync(requests);
  }

  sampleSync(requests: readonly SampleRequest[], out = new Uint8Array(requests.length)): Uint8Array {
    if (!this.open_) throw new DeviceNotOpenError(`SimMtj ${this.boardId}`);
    validateSampleRequests(requests, this.limits, this.deviceCount);
    for (let i = 0; i < requests.length; i++) {
      const r = requests[i];
      out[i] = this.cycle(r.device, r.currentA, r.widthS ?? this.limits.defaultWidthS);
    }
    return out;
  }

  /** Write–read–reset of one device; returns the read bit. No validation (callers validated). */
  cycle(device: number, currentA: number, widthS: number): 0 | 1 {
    this.writePulse(device, currentA, widthS);
    const bit = this.readBit(device);
    this.states[device] = 0;
    return bit;
  }

  /** Write pulse only (no read, no reset): P → AP with P_sw(I, t_p). For circuit models (the emulated board). */
  writePulse(device: number, currentA: number, widthS: number): void {
    if (this.rng.next() < switchingProbability(this.params[device], currentA, widthS)) this.states[device] = 1;
  }

  /** Reset one device to P. */
  resetDevice(device: number): void {
    this.states[device] = 0;
  }

  /** Junction voltage with read noise [V] at bias I_b, no validation (circuit models). */
  noisyJunctionVoltage(device: number, biasCurrentA: number): number {
    return this.junctionVoltage(device, biasCurrentA) + this.rng.normal(0, this.config.readNoiseV);
  }

  async readVoltage(device: number, biasCurrentA: number): Promise<number> {
    return this.readVoltageSync(device, biasCurrentA);
  }

  readVoltageSync(device: number, biasCurrentA: number): number {
    if (!this.open_) throw new DeviceNotOpenError(`SimMtj ${this.boardId}`);
    validateBias(device, biasCurrentA, this.limits, this.deviceCount);
    return this.junctionVoltage(device, biasCurrentA) + this.rng.normal(0, this.config.readNoiseV);
  }

  /** Noise-free junction voltage [V]: V = I_b · R(state, V), solved by bisection. */
  junctionVoltage(device: number, biasCurrentA: number): number {
    const p = this.params[device];
    if (this.states[device] === 0) return biasCurrentA * p.rPOhm;
    const vh = this.config.tmrHalfBiasV;
    // h(V) = V − I_b·R_AP(V) is strictly increasing (R_AP falls with V): bisect on [I_b·R_P, I_b·R_P·(1 + TMR)].
    let lo = biasCurrentA * p.rPOhm;
    let hi = lo * (1 + p.tmr);
    for (let it = 0; it < 50; it++) {
      const v = 0.5 * (lo + hi);
      if (v - biasCurrentA * p.rPOhm * (1 + p.tmr / (1 + (v / vh) ** 2)) > 0) hi = v;
      else lo = v;
    }
    return 0.5 * (lo + hi);
  }

  async readPair(pair: number, currentA: number, deltaA: number): Promise<[number, number]> {
    return this.readPairSync(pair, currentA, deltaA);
  }

  /** Twin A at I and twin B at I + ΔI, with read noise [V]. */
  readPairSync(pair: number, currentA: number, deltaA: number): [number, number] {
    if (!this.open_) throw new DeviceNotOpenError(`SimMtj ${this.boardId}`);
    validatePairRead(pair, currentA, deltaA, this.pairCount, this.pairMaxCurrentA);
    const [a, b] = this.pairs[pair];
    const sd = this.pairIv.readNoiseV;
    return [
      pairJunctionVoltage(a, this.pairIv, currentA) + this.pairNoise.normal(0, sd),
      pairJunctionVoltage(b, this.pairIv, currentA + deltaA) + this.pairNoise.normal(0, sd),
    ];
  }

  /** Exact switching probability of a device (for tests and plots). */
  switchingProbability(device: number, currentA: number, widthS = this.limits.defaultWidthS): number {
    return switchingProbability(this.params[device], currentA, widthS);
  }

  /** Logistic bridge I50 [A], k [1/A] of a device (the reference a calibration should recover). */
  logisticBridge(device: number, widthS = this.limits.defaultWidthS): { i50A: number; kPerA: number } {
    return logisticBridge(this.params[device], widthS);
  }

  private readBit(device: number): 0 | 1 {
    const ib = this.config.readBiasA;
    const v = this.junctionVoltage(device, ib) + this.rng.normal(0, this.config.readNoiseV);
    return v > ib * this.thresholdOhm ? 1 : 0;
  }
}
