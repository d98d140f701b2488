/**
 * J5Mtj: an MTJ array on a microcontroller board driven through johnny-five (any Board / IO plugin;
 * Firmata over a serial port by default). Wiring, ranges and the read threshold come from a BoardProfile.
 *
 * One sample round (requests on distinct devices run together):
 *   1. write-current codes: code_d = round(I_d · R_sense / V_pwm · (2^bits − 1)) on device d's PWM pin;
 *      if any code changed, wait mtj.current.settleS for the RC filter;
 *   2. rising edge on mtj.pulse.pin: the one-shot writes every junction for mtj.pulse.widthS;
 *   3. barrier: a REPORT_VERSION round trip proves the board processed the pulse; the next analog report
 *      of each channel after it was therefore sampled after the pulse: bit = V ≥ mtj.read.thresholdV;
 *   4. rising edge on mtj.reset.pin: every junction back to P.
 * Requests are validated (typed errors naming field and pin) before anything is sent.
 * MTJ pairs (profile.mtjPairs, optional): readPair sets twin A's and twin B's PWM codes for I and I + ΔI,
 * waits mtjPairs.settleS if a code changed, passes the barrier, and returns the next report of both ADC
 * channels as junction voltages (minus mtjPairs.adcOffsetV).
 * Waits use a DeviceClock (wall clock by default; the emulated board's clock in HIL tests).
 *
 * Fast path (samplingPath 'spintrain-sysex'): when the board announces spintrain's own firmware
 * (io.firmware.name === 'spintrain', boards/firmware/uno) and the profile's wiring is the one that firmware
 * drives, a sample() call becomes MTJ_SAMPLE sysex requests (host/device/spintrain-sysex.ts): its rounds
 * (as above) are merged while they select the same junctions at the same PWM codes, and each run of rounds is
 * one request (mask, codes, count ≤ 4096) whose reply carries the bits; the board sets the currents, settles
 * only on a change, and pulses, reads, thresholds and resets itself. Analog reporting stays off on this path
 * (it would share the link with the replies); readVoltage/readPair turn a channel's reporting on for one
 * report. An error reply raises MtjSampleError (port and status); a missing reply BoardResponseTimeoutError on
 * the driver's clock. Any other firmware (genuine StandardFirmata) takes the plain Firmata path above.
 */
import { type BoardProfile, currentCodeMax, fullScaleCurrentA, pairMaxCurrentA, validateBoardProfile } from '../../boards/board-profile.ts';
import { BoardProfileError } from '../../boards/errors.ts';
import { type DeviceClock, wallClock } from './device-clock.ts';
import { type FirmataIo, type FirmataLink, type J5Board, type SerialPortLike, openFirmataLink } from './firmata-link.ts';
import {
  BoardResponseTimeoutError,
  DeviceNotOpenError,
  FirmwareMismatchError,
  FirmwareTimeoutError,
  MtjDeviceError,
  TransportClosedError,
} from './errors.ts';
import {
  MTJ_MAX_COUNT,
  MTJ_SAMPLE_JUNCTIONS,
  MTJ_SETTLE_MAX_UNITS,
  MTJ_SETTLE_UNIT_S,
  MtjSampleLink,
  SPINTRAIN_FIRMWARE_MIN,
  SPINTRAIN_FIRMWARE_NAME,
  describeFirmware,
  isSpintrainFirmware,
  mtjSettleUnits,
  mtjSampleReplyBytes,
  popcount,
} from './spintrain-sysex.ts';
import { type MtjArray, type MtjLimits, type MtjPairReader, type SampleRequest, validateBias, validatePairRead, validateSampleRequests } from './mtj-array.ts';

/** The parts of johnny-five's Board and of an IO plugin (firmata-io) the driver uses. */
export type { J5Board, SerialPortLike } from './firmata-link.ts';
export type J5Io = FirmataIo;

/**
 * How J5Mtj samples: 'firmata' (PWM writes, digital pulses, REPORT_VERSION barriers and analog reports: any
 * Firmata firmware, e.g. genuine StandardFirmata) or 'spintrain-sysex' (MTJ_SAMPLE requests to spintrain's firmware).
 */
export type SamplingPath = 'firmata' | 'spintrain-sysex';

export function describeSamplingPath(path: SamplingPath): string {
  return path === 'spintrain-sysex' ? 'spintrain firmware, MTJ_SAMPLE sysex (fast path)' : 'Firmata pulses and analog reports';
}

/** The MTJ wiring spintrain's Uno firmware drives (boards/firmware/uno/spintrain_protocol.h). */
const SPINTRAIN_WIRING = { pwmPins: [3, 9, 10, 11], adcChannels: [0, 1, 2, 3], pulsePin: 2, resetPin: 4, thresholdCode: 65 };

export interface J5MtjOptions {
  profile: BoardProfile;
  /** A johnny-five Board already constructed (any IO plugin); J5Mtj waits for its `ready`. */
  board?: J5Board;
  /** Otherwise a port: a path (Firmata over node-serialport) or a serial-port-like object. */
  port?: string | SerialPortLike;
  /** Time base for settling and timeouts. Default the wall clock. */
  clock?: DeviceClock;
  /** Seconds to wait for the board's Firmata `ready`. Default 10. */
  readyTimeoutS?: number;
  /** Seconds to wait for one reply (barrier, analog report). Default 2. */
  responseTimeoutS?: number;
  /** Firmata analog sampling interval [ms]. Default 5 (4 channels · 3 bytes per 5 ms fits 57600 baud). */
  samplingIntervalMs?: number;
  /**
   * Use the MTJ_SAMPLE sysex when the board runs spintrain's firmware (default true); false keeps the plain
   * Firmata path on any firmware.
   */
  sysex?: boolean;
}

export class J5Mtj implements MtjArray, MtjPairReader {
  readonly profile: BoardProfile;
  /** MTJ pairs wired (profile.mtjPairs), 0 if none. */
  readonly pairCount: number;
  readonly pairMaxCurrentA: number;
  private readonly pairCodes: number[];
  readonly boardId: string;
  readonly deviceCount: number;
  readonly limits: MtjLimits;
  private readonly wiring: NonNullable<BoardProfile['mtj']>;
  private readonly clock: DeviceClock;
  private readonly portName: string;
  private board: J5Board | null;
  private readonly ownsBoard: boolean;
  private io: J5Io | null = null;
  /** The Firmata link this driver opened (none when the caller passed a board). */
  private link: FirmataLink | null = null;
  private open_ = false;
  private closedReason: string | null = null;
  private closeWaiters: (() => void)[] = [];
  private readonly codes: number[];
  private readonly seq: number[];
  private readonly value: number[];
  private reportWaiters: (() => void)[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  /** The MTJ_SAMPLE client on the fast path, else null. */
  private sysexLink: MtjSampleLink | null = null;
  private path_: SamplingPath = 'firmata';
  /** The MTJ_SAMPLE client of the last open (kept after close for its traffic counts). */
  private sysexStats: MtjSampleLink | null = null;

  constructor(readonly options: J5MtjOptions) {
    this.profile = validateBoardProfile(options.profile);
    if (!this.profile.mtj) throw new BoardProfileError(this.profile.id, 'mtj', 'is required for an MTJ array');
    this.wiring = this.profile.mtj;
    this.boardId = this.profile.id;
    this.deviceCount = this.wiring.read.adcPins.length;
    this.clock = options.clock ?? wallClock;
    const ib = this.wiring.read.biasCurrentA;
    this.limits = Object.freeze({
      minCurrentA: this.wiring.limits.minCurrentA,
      maxCurrentA: this.wiring.limits.maxCurrentA,
      minWidthS: this.wiring.pulse.widthS,
      maxWidthS: this.wiring.pulse.widthS,
      defaultWidthS: this.wiring.pulse.widthS,
      minBiasCurrentA: ib,
      maxBiasCurrentA: ib,
    });
    this.board = options.board ?? null;
    this.ownsBoard = !options.board;
    if (!options.board && options.port === undefined) throw new MtjDeviceError('J5Mtj needs a board or a port');
    this.portName = typeof options.port === 'string' ? options.port : (options.port?.path ?? 'board');
    this.codes = new Array(this.deviceCount).fill(-1);
    // report slots: one per junction of mtj.read, then twin A and twin B of every pair
    const pw = this.profile.mtjPairs;
    this.pairCount = pw?.biasPins.length ?? 0;
    this.pairMaxCurrentA = pw ? pairMaxCurrentA(pw) : 0;
    this.pairCodes = new Array(2 * this.pairCount).fill(-1);
    this.seq = new Array(this.deviceCount + 2 * this.pairCount).fill(0);
    this.value = new Array(this.deviceCount + 2 * this.pairCount).fill(0);
  }

  /** ADC channel of report slot i (a junction of mtj.read, then the pairs' twins). */
  private channelOf(i: number): number {
    return i < this.deviceCount ? this.wiring.read.adcPins[i] : this.profile.mtjPairs!.adcPins[(i - this.deviceCount) >> 1][(i - this.deviceCount) & 1];
  }

  get isOpen(): boolean {
    return this.open_;
  }

  /** The path sample() takes, decided in open() from the board's firmware name ('firmata' before). */
  get samplingPath(): SamplingPath {
    return this.path_;
  }

  /** On the fast path one sample() call with many requests costs far less than many calls (batched-draws.ts). */
  get prefersBatchedDraws(): boolean {
    return this.path_ === 'spintrain-sysex';
  }

  /** MTJ_SAMPLE traffic since the last open (requests, bytes each way, F0 … F7); null on the Firmata path. */
  get sysexTraffic(): { requests: number; bytesOut: number; bytesIn: number } | null {
    const l = this.sysexStats;
    return l ? { requests: l.requests, bytesOut: l.bytesOut, bytesIn: l.bytesIn } : null;
  }

  /** The profile's MTJ wiring is the one spintrain's firmware drives (device d = junction d). */
  private wiringFitsSpintrainFirmware(): boolean {
    const w = this.wiring;
    const c = w.current;
    const fw = SPINTRAIN_WIRING;
    if (c.kind !== 'pwm-rc' || c.pwmBits !== 8 || c.settleS > MTJ_SETTLE_MAX_UNITS * MTJ_SETTLE_UNIT_S) return false;
    if (this.deviceCount > MTJ_SAMPLE_JUNCTIONS || w.pulse.pin !== fw.pulsePin || w.reset.pin !== fw.resetPin) return false;
    for (let d = 0; d < this.deviceCount; d++) {
      if (c.pins[d] !== fw.pwmPins[d] || w.read.adcPins[d] !== fw.adcChannels[d]) return false;
    }
    // the same threshold: the smallest ADC code that reads high
    const lsbV = this.profile.adc.referenceV / 2 ** this.profile.adc.bits;
    return Math.ceil(w.read.thresholdV / lsbV - 1e-9) === fw.thresholdCode && this.profile.adc.bits === 10;
  }

  async open(): Promise<void> {
    if (this.open_) return;
    this.closedReason = null;
    const rt = this.profile.runtime;
    const baud = rt.kind === 'host-tethered' ? rt.baud : undefined;
    const needsSpintrain = rt.kind === 'host-tethered' && rt.firmware === 'spintrain';
    const flashHint = `flash spintrain's firmware: spintrain flash --board ${this.profile.id} --port ${this.portName}`;
    if (!this.board) {
      this.link = await openFirmataLink({
        port: this.options.port!,
        clock: this.clock,
        readyTimeoutS: this.options.readyTimeoutS,
        error: (m) => new MtjDeviceError(m),
        baud,
        timeoutHint: needsSpintrain ? `${flashHint} (its link runs at ${baud} baud; wrong or missing firmware?)` : undefined,
      });
      this.board = this.link.board;
    }
    const board = this.board;
    if (!board.isReady) {
      // A board the caller constructed: wait for its `ready` on the device clock.
      const ready = new Promise<void>((resolve, reject) => {
        board.once('ready', () => resolve());
        board.once('error', (e) => reject(new MtjDeviceError(`board on ${this.portName}: ${(e as Error)?.message ?? e}`)));
      });
      const timeout = this.clock.delay(this.options.readyTimeoutS ?? 10).then(() => {
        throw new FirmwareTimeoutError(this.portName, this.options.readyTimeoutS ?? 10);
      });
      await Promise.race([ready, timeout]);
    }
    const io = board.io;
    this.io = io;
    if (needsSpintrain && !isSpintrainFirmware(io)) {
      const found = describeFirmware(io);
      await this.link?.close().catch(() => undefined);
      this.link = null;
      if (this.ownsBoard) this.board = null;
      const min = `${SPINTRAIN_FIRMWARE_NAME} ${SPINTRAIN_FIRMWARE_MIN.major}.${SPINTRAIN_FIRMWARE_MIN.minor} or later`;
      throw new FirmwareMismatchError(this.portName, found, `${min} (its MTJ board's filter is made for that firmware's 31.37 kHz PWM)`, flashHint);
    }
    const sysex = this.options.sysex !== false && isSpintrainFirmware(io) && this.wiringFitsSpintrainFirmware();
    this.path_ = sysex ? 'spintrain-sysex' : 'firmata';
    this.sysexLink?.close();
    this.sysexLink = sysex ? new MtjSampleLink(io as unknown as ConstructorParameters<typeof MtjSampleLink>[0], this.portName) : null;
    this.sysexStats = this.sysexLink;
    const onClose = () => this.transportClosed();
    io.on('close', onClose);
    io.on('disconnect', onClose);
    io.setSamplingInterval?.(this.options.samplingIntervalMs ?? 5);
    const w = this.wiring;
    if (w.current.kind !== 'pwm-rc') {
      throw new BoardProfileError(this.boardId, 'mtj.current.kind', 'mcp4725 is not implemented by J5Mtj yet (use pwm-rc)');
    }
    for (const pin of w.current.pins) {
      io.pinMode(pin, io.MODES.PWM);
      this.writePwm(pin, 0);
    }
    this.codes.fill(0);
    for (const pin of [w.pulse.pin, w.reset.pin]) {
      io.pinMode(pin, io.MODES.OUTPUT);
      io.digitalWrite(pin, 0);
    }
    const pw = this.profile.mtjPairs;
    if (pw) {
      pw.biasPins.flat().forEach((pin) => {
        io.pinMode(pin, io.MODES.PWM);
        this.writePwm(pin, this.pairCodeFor(0));
      });
      this.pairCodes.fill(this.pairCodeFor(0));
    }
    [...w.read.adcPins, ...(pw?.adcPins.flat() ?? [])].forEach((ch, d) => {
      io.pinMode(ch, io.MODES.ANALOG);
      io.analogRead(ch, (v: number) => {
        this.value[d] = v;
        this.seq[d]++;
        const ws = this.reportWaiters;
        this.reportWaiters = [];
        for (const f of ws) f();
      });
      // fast path: no periodic reports (they would share the link with MTJ_SAMPLE replies); reportNow asks for one
      if (sysex) io.reportAnalogPin?.(ch, 0);
    });
    this.pulse(w.reset.pin);
    this.open_ = true;
  }

  /** The current [A] actually applied for a request of `currentA`: rounded to the PWM code. */
  quantizeCurrentA(device: number, currentA: number): number {
    return (this.codeFor(currentA) / currentCodeMax(this.wiring)) * fullScaleCurrentA(this.wiring);
  }

  sample(requests: readonly SampleRequest[]): Promise<Uint8Array> {
    return this.serial(async () => {
      this.assertOpen();
      const pins = (this.wiring.current as { pins: number[] }).pins;
      validateSampleRequests(requests, this.limits, this.deviceCount, (d) => pins[d]);
      const out = new Uint8Array(requests.length);
      if (this.sysexLink) {
        await this.sampleSysex(requests, out);
        return out;
      }
      let i = 0;
      while (i < requests.length) {
        // A round: consecutive requests on distinct devices.
        const round: number[] = [];
        const used = new Set<number>();
        while (i < requests.length && !used.has(requests[i].device)) {
          used.add(requests[i].device);
          round.push(i++);
        }
        await this.runRound(requests, round, out);
      }
      return out;
    });
  }

  readVoltage(device: number, biasCurrentA: number): Promise<number> {
    return this.serial(async () => {
      this.assertOpen();
      validateBias(device, biasCurrentA, this.limits, this.deviceCount, `A${this.wiring.read.adcPins[device]}`);
      await this.barrier();
      await this.reportNow([device]);
      return this.volts(this.value[device]);
    });
  }

  /** Twin A at I and twin B at I + ΔI of `pair`: their junction voltages [V]. */
  readPair(pair: number, currentA: number, deltaA: number): Promise<[number, number]> {
    return this.serial(async () => {
      this.assertOpen();
      validatePairRead(pair, currentA, deltaA, this.pairCount, this.pairMaxCurrentA);
      const pw = this.profile.mtjPairs!;
      let changed = false;
      [currentA, currentA + deltaA].forEach((i, t) => {
        const code = this.pairCodeFor(i);
        if (code !== this.pairCodes[2 * pair + t]) {
          this.writePwm(pw.biasPins[pair][t], code);
          this.pairCodes[2 * pair + t] = code;
          changed = true;
        }
      });
      if (changed) await this.wait(this.clock.delay(pw.settleS), 'settling');
      await this.barrier();
      const slots = [this.deviceCount + 2 * pair, this.deviceCount + 2 * pair + 1];
      await this.reportNow(slots);
      return [this.volts(this.value[slots[0]]) - pw.adcOffsetV, this.volts(this.value[slots[1]]) - pw.adcOffsetV];
    });
  }

  /** PWM code for a pair read current: duty·V_pwm = midV + I·R_sense. */
  private pairCodeFor(currentA: number): number {
    const pw = this.profile.mtjPairs!;
    const max = 2 ** pw.pwmBits - 1;
    return Math.min(max, Math.max(0, Math.round(((pw.midV + currentA * pw.senseOhm) / pw.pwmHighV) * max)));
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    const io = this.io;
    if (io && this.open_ && this.closedReason === null) {
      const w = this.wiring;
      for (const pin of (w.current as { pins: number[] }).pins) this.writePwm(pin, 0);
      for (const ch of w.read.adcPins) io.reportAnalogPin?.(ch, 0);
      const pw = this.profile.mtjPairs;
      if (pw) {
        for (const pin of pw.biasPins.flat()) this.writePwm(pin, this.pairCodeFor(0));
        for (const ch of pw.adcPins.flat()) io.reportAnalogPin?.(ch, 0);
      }
    }
    this.open_ = false;
    const transportOpen = this.closedReason === null;
    this.closedReason ??= 'close()'; // before the transport's 'close' event: a deliberate close is not a fault
    const link = this.link;
    this.link = null;
    this.sysexLink?.close();
    this.sysexLink = null;
    if (this.ownsBoard) this.board = null;
    if (link && transportOpen) await link.close();
  }

  private async runRound(requests: readonly SampleRequest[], round: number[], out: Uint8Array): Promise<void> {
    const w = this.wiring;
    const pins = (w.current as { pins: number[] }).pins;
    let changed = false;
    for (const ri of round) {
      const d = requests[ri].device;
      const code = this.codeFor(requests[ri].currentA);
      if (code !== this.codes[d]) {
        this.writePwm(pins[d], code);
        this.codes[d] = code;
        changed = true;
      }
    }
    if (changed) await this.wait(this.clock.delay((w.current as { settleS: number }).settleS), 'settling');
    this.pulse(w.pulse.pin);
    await this.barrier();
    const devices = round.map((ri) => requests[ri].device);
    await this.freshReports(devices);
    for (const ri of round) out[ri] = this.volts(this.value[requests[ri].device]) >= w.read.thresholdV ? 1 : 0;
    this.pulse(w.reset.pin);
  }

  /**
   * Fast path: the requests as MTJ_SAMPLE requests. Rounds (consecutive requests on distinct devices, as on the
   * Firmata path) are merged while they select the same devices at the same codes; a run of k such rounds is one
   * request with count k, whose draw t answers round t (draw-major bits, selected junctions ascending).
   */
  private async sampleSysex(requests: readonly SampleRequest[], out: Uint8Array): Promise<void> {
    const link = this.sysexLink!;
    const settleS = (this.wiring.current as { settleS: number }).settleS;
    const baud = (this.profile.runtime as { baud?: number }).baud ?? 57600;
    let i = 0;
    while (i < requests.length) {
      // the first round of a run fixes the mask and the codes
      const codes = new Array<number>(this.deviceCount).fill(-1);
      const start = i;
      let mask = 0;
      while (i < requests.length && !(mask & (1 << requests[i].device))) {
        const r = requests[i++];
        mask |= 1 << r.device;
        codes[r.device] = this.codeFor(r.currentA);
      }
      const width = i - start;
      const rounds: number[] = [start]; // start index of each round (all rounds of a run have `width` requests)
      // further rounds: the same devices at the same codes
      while (rounds.length < MTJ_MAX_COUNT && i + width <= requests.length) {
        let seen = 0;
        let ok = true;
        for (let k = 0; k < width && ok; k++) {
          const r = requests[i + k];
          const bit = 1 << r.device;
          ok = (mask & bit) !== 0 && (seen & bit) === 0 && this.codeFor(r.currentA) === codes[r.device];
          seen |= bit;
        }
        if (!ok) break;
        rounds.push(i);
        i += width;
      }
      const duties: number[] = [];
      for (let d = 0; d < this.deviceCount; d++) if (mask & (1 << d)) duties.push(codes[d]);
      const count = rounds.length;
      // generous bound of the board's time: settling, ~0.5 ms per draw and junction, the reply on the wire
      const expectedS = settleS + count * (0.2e-3 + 0.5e-3 * width) + (mtjSampleReplyBytes(width, count) * 10) / baud;
      const reply = await this.wait(link.request(mask, duties, count, mtjSettleUnits(settleS)), 'MTJ_SAMPLE reply', this.responseTimeoutS() + 2 * expectedS).catch((e) => {
        link.abandon();
        throw e;
      });
      for (let d = 0; d < this.deviceCount; d++) if (mask & (1 << d)) this.codes[d] = codes[d];
      rounds.forEach((first, t) => {
        for (let k = 0; k < width; k++) {
          const device = requests[first + k].device;
          out[first + k] = reply.bits[t * width + popcount(mask & ((1 << device) - 1))];
        }
      });
    }
  }

  /**
   * The next report of each slot's channel sampled after everything sent so far. On the Firmata path reporting
   * runs all the time; on the fast path it is turned on for one report (the firmware sends one at once) and off.
   */
  private async reportNow(slots: number[]): Promise<void> {
    if (!this.sysexLink) return this.freshReports(slots);
    const io = this.io!;
    const wait = this.freshReports(slots);
    for (const s of slots) io.reportAnalogPin?.(this.channelOf(s), 1);
    try {
      await wait;
    } finally {
      for (const s of slots) io.reportAnalogPin?.(this.channelOf(s), 0);
    }
  }

  /** A round trip proving the board processed everything sent before it. */
  private async barrier(): Promise<void> {
    const io = this.io!;
    if (io.reportVersion) {
      await this.wait(new Promise<void>((resolve) => io.reportVersion!(resolve)), 'REPORT_VERSION reply');
    } else {
      // IO plugins without a version query: two reports guarantee one sampled after the writes.
      await this.freshReports([0]);
    }
  }

  /** Wait until each device's channel has reported once more than now. */
  private async freshReports(devices: number[]): Promise<void> {
    const target = devices.map((d) => this.seq[d] + 1);
    const ready = () => devices.every((d, k) => this.seq[d] >= target[k]);
    await this.wait(
      new Promise<void>((resolve) => {
        const check = () => (ready() ? resolve() : this.reportWaiters.push(check));
        check();
      }),
      `analog report on A${devices.map((d) => this.channelOf(d)).join(',A')}`,
    );
  }

  /** Race `p` against transport close and the response timeout. */
  private responseTimeoutS(): number {
    return Math.max(this.options.responseTimeoutS ?? 2, 0);
  }

  private wait<T>(p: Promise<T>, what: string, timeoutS = this.responseTimeoutS()): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (f: () => void) => {
        if (!done) {
          done = true;
          f();
        }
      };
      if (this.closedReason !== null) return reject(new TransportClosedError(this.portName, what));
      this.closeWaiters.push(() => finish(() => reject(new TransportClosedError(this.portName, what))));
      if (what !== 'settling') {
        this.clock.delay(timeoutS).then(() => finish(() => reject(new BoardResponseTimeoutError(this.portName, what, timeoutS))));
      }
      p.then(
        (v) => finish(() => resolve(v)),
        (e) => finish(() => reject(e)),
      );
    });
  }

  private transportClosed(): void {
    if (this.closedReason !== null) return;
    this.closedReason = 'transport closed';
    this.open_ = false;
    this.sysexLink?.abandon();
    const ws = this.closeWaiters;
    this.closeWaiters = [];
    for (const f of ws) f();
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const r = this.chain.then(f, f);
    this.chain = r.catch(() => undefined);
    return r;
  }

  private assertOpen(): void {
    if (this.closedReason === 'transport closed') throw new TransportClosedError(this.portName, 'sampling');
    if (!this.open_) throw new DeviceNotOpenError(`J5Mtj on ${this.portName}`);
  }

  private codeFor(currentA: number): number {
    const max = currentCodeMax(this.wiring);
    return Math.min(max, Math.max(0, Math.round((currentA / fullScaleCurrentA(this.wiring)) * max)));
  }

  private volts(code: number): number {
    return (code * this.profile.adc.referenceV) / 2 ** this.profile.adc.bits;
  }

  private writePwm(pin: number, code: number): void {
    const io = this.io!;
    if (io.pwmWrite) io.pwmWrite(pin, code);
    else io.analogWrite!(pin, code);
  }

  private pulse(pin: number): void {
    this.io!.digitalWrite(pin, 1);
    this.io!.digitalWrite(pin, 0);
  }
}
