/**
 * Calibration of an MTJ array: sweep the write current, estimate P(high | I) per device with Wilson
 * intervals, fit P ≈ σ(k (I − I50)) per device by maximum likelihood, and check that the pair of two
 * consecutive draws gives (1,0) with probability σ(1 − σ) = σ′ (what p-GAF-BP relies on).
 * Files are written atomically (temp file in the same directory, fsync, rename) and validated on load.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readRegularTextSync, RegularFileError } from '../io/regular-file.ts';
import { shown } from '../io/show-value.ts';
import { isSystemError, writeErrorFor } from '../io/write-error.ts';
import { CalibrationFileError } from './errors.ts';
import { type BinomialPoint, fitLogistic, sigmoid } from './logistic-fit.ts';
import { prefersBatchedDraws } from './batched-draws.ts';
import type { MtjArray, SampleRequest } from './mtj-array.ts';
import { wilsonInterval } from './wilson-interval.ts';

export const CALIBRATION_SCHEMA = 'spintrain.mtj-calibration';
export const CALIBRATION_SCHEMA_VERSION = 1;

/** One sweep point of one device. */
export interface CalibrationPoint {
  /** Write current actually applied [A]. */
  currentA: number;
  /** Draws at this current. */
  n: number;
  /** Draws that read high (AP). */
  high: number;
  /** Consecutive pairs (draw 2m, draw 2m+1) at this current, and how many were (1,0). */
  pairs: number;
  pairs10: number;
}

export interface DeviceCalibration {
  device: number;
  /** Fitted centre [A]: P(high) = 1/2. */
  i50A: number;
  /** Fitted slope [1/A]. */
  kPerA: number;
  /** max |p̂ − σ(k(I − I50))| over the points with ≥ MAX_ERROR_MIN_DRAWS draws (the fine sweep). */
  maxAbsError: number;
  /** Fraction of points whose 95 % Wilson interval of P(high) contains the fitted σ. */
  fitCoverage: number;
  /** Fraction of points whose 95 % Wilson interval of P(1,0) contains σ′ = σ(1 − σ) of the fit. */
  pairCoverage: number;
  /** max |P̂(1,0) − σ′| over the points with ≥ MAX_ERROR_MIN_DRAWS draws. */
  pairMaxAbsError: number;
  points: CalibrationPoint[];
}

export interface Calibration {
  schema: typeof CALIBRATION_SCHEMA;
  schemaVersion: typeof CALIBRATION_SCHEMA_VERSION;
  boardId: string;
  createdAt: string;
  pulseWidthS: number;
  seed: number | null;
  devices: DeviceCalibration[];
}

export interface CalibrationOptions {
  /** Devices to calibrate; default all. */
  devices?: readonly number[];
  /** Coarse sweep points over the full current range. Default 33. */
  coarsePoints: number;
  /** Draws per coarse point. Default 16. */
  coarseDraws: number;
  /** Fine sweep points between the coarse fit's P = 2 % and 98 % currents. Default 21. */
  finePoints: number;
  /**
   * Draws per fine point: the points the fit and its error come from (`spintrain calibrate --samples`).
   * Consecutive pairs feed the σ′ check (an odd count leaves the last draw unpaired). Default 200.
   */
  fineDraws: number;
  /** Write pulse width [s]; default the array's default. */
  widthS?: number;
  /** Recorded in the file. */
  seed?: number | null;
  /** Progress callback (fraction done). */
  onProgress?: (fraction: number) => void;
}

export const defaultCalibrationOptions: Readonly<CalibrationOptions> = Object.freeze({
  coarsePoints: 33,
  coarseDraws: 16,
  finePoints: 21,
  fineDraws: 200,
});

/** Run the two-stage sweep on an open array and fit every device. */
export async function calibrate(array: MtjArray, options: Partial<CalibrationOptions> = {}): Promise<Calibration> {
  const o = { ...defaultCalibrationOptions, ...options };
  const devices = o.devices ?? Array.from({ length: array.deviceCount }, (_, i) => i);
  const widthS = o.widthS ?? array.limits.defaultWidthS;
  const { minCurrentA, maxCurrentA } = array.limits;
  const points = new Map<number, Map<number, CalibrationPoint>>(devices.map((d) => [d, new Map()]));
  const totalBatches = o.coarsePoints * o.coarseDraws + o.finePoints * o.fineDraws;
  let done = 0;

  // All devices sample at once per draw: one request per device (an implementation may share one pulse).
  // An array that prefers batched draws (batched-draws.ts) gets all draws of a point in one call, draw-major;
  // the others one call per draw, as always.
  const batched = prefersBatchedDraws(array);
  const sweep = async (currentOf: (device: number) => number[], draws: number) => {
    const perDevice = devices.map((d) => currentOf(d).map((c) => quantize(array, d, c)));
    const nPoints = perDevice[0].length;
    for (let pi = 0; pi < nPoints; pi++) {
      const requests: SampleRequest[] = devices.map((device, di) => ({ device, currentA: perDevice[di][pi], widthS }));
      const bits: Uint8Array[] = [];
      if (batched) {
        const all = await array.sample(Array.from({ length: draws }, () => requests).flat());
        for (let t = 0; t < draws; t++) bits.push(all.subarray(t * requests.length, (t + 1) * requests.length));
        done += draws;
        o.onProgress?.(done / totalBatches);
      } else {
        for (let t = 0; t < draws; t++) {
          bits.push(await array.sample(requests));
          o.onProgress?.(++done / totalBatches);
        }
      }
      devices.forEach((device, di) => {
        const currentA = perDevice[di][pi];
        const m = points.get(device)!;
        const p = m.get(currentA) ?? { currentA, n: 0, high: 0, pairs: 0, pairs10: 0 };
        for (let t = 0; t < draws; t++) {
          p.n++;
          p.high += bits[t][di];
          if (t % 2 === 1) {
            p.pairs++;
            if (bits[t - 1][di] === 1 && bits[t][di] === 0) p.pairs10++;
          }
        }
        m.set(currentA, p);
      });
    }
  };

  const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / Math.max(1, n - 1));
  await sweep(() => linspace(minCurrentA, maxCurrentA, o.coarsePoints), o.coarseDraws);
  // Fine sweep where the coarse fit says 2 % … 98 %: I = I50 ± ln(49)/k.
  const coarse = new Map(devices.map((d) => [d, fitLogistic(toBinomial([...points.get(d)!.values()]))]));
  await sweep((d) => {
    const f = coarse.get(d)!;
    const half = Number.isFinite(f.k) && f.k > 0 ? Math.log(49) / f.k : (maxCurrentA - minCurrentA) / 2;
    const lo = clamp(f.x50 - half, minCurrentA, maxCurrentA);
    const hi = clamp(f.x50 + half, minCurrentA, maxCurrentA);
    return linspace(lo, hi, o.finePoints);
  }, o.fineDraws);

  const out: DeviceCalibration[] = devices.map((device) => {
    const pts = [...points.get(device)!.values()].sort((a, b) => a.currentA - b.currentA);
    const fit = fitLogistic(toBinomial(pts));
    return { device, i50A: fit.x50, kPerA: fit.k, ...fitQuality(pts, fit.x50, fit.k), points: pts };
  });
  return {
    schema: CALIBRATION_SCHEMA,
    schemaVersion: CALIBRATION_SCHEMA_VERSION,
    boardId: array.boardId,
    createdAt: new Date().toISOString(),
    pulseWidthS: widthS,
    seed: o.seed ?? null,
    devices: out,
  };
}

/** Points with fewer draws (the coarse sweep) are too noisy for a max-error figure; they still count in coverage. */
export const MAX_ERROR_MIN_DRAWS = 64;

/** Fit error and σ′ pair check of one device's points against σ(k (I − I50)). */
export function fitQuality(points: readonly CalibrationPoint[], i50A: number, kPerA: number) {
  let maxAbsError = 0;
  let pairMaxAbsError = 0;
  let fitIn = 0;
  let pairIn = 0;
  let pairPts = 0;
  for (const p of points) {
    const s = sigmoid(kPerA * (p.currentA - i50A));
    const inMax = p.n >= MAX_ERROR_MIN_DRAWS;
    if (inMax) maxAbsError = Math.max(maxAbsError, Math.abs(p.high / p.n - s));
    const ci = wilsonInterval(p.high, p.n);
    if (s >= ci.lo && s <= ci.hi) fitIn++;
    if (p.pairs > 0) {
      pairPts++;
      const sp = s * (1 - s);
      if (inMax) pairMaxAbsError = Math.max(pairMaxAbsError, Math.abs(p.pairs10 / p.pairs - sp));
      const pci = wilsonInterval(p.pairs10, p.pairs);
      if (sp >= pci.lo && sp <= pci.hi) pairIn++;
    }
  }
  return {
    maxAbsError,
    fitCoverage: points.length ? fitIn / points.length : 0,
    pairCoverage: pairPts ? pairIn / pairPts : 0,
    pairMaxAbsError,
  };
}

/**
 * Write current [A] giving P(high) = p on a calibrated device: I = I50 + logit(p)/k; with `limits`,
 * clamped to [minCurrentA, maxCurrentA] (p near 0 or 1 saturates to the nearest current allowed).
 * The one inverse of the fit: MtjBitSource's draws and the board header's code tables both use it.
 */
export function currentForProbability(
  dev: Pick<DeviceCalibration, 'i50A' | 'kPerA'>,
  p: number,
  limits?: { minCurrentA: number; maxCurrentA: number },
): number {
  const i = dev.i50A + Math.log(p / (1 - p)) / dev.kPerA;
  return limits ? Math.min(limits.maxCurrentA, Math.max(limits.minCurrentA, i)) : i;
}

/**
 * A calibration the array can use: made on its board, every device index exists, the pulse width is one
 * it can produce. Throws CalibrationFileError naming `file` (where the calibration came from) and the
 * field. MtjBitSource runs it for every caller; it reads only the array's description (board id, device
 * count, limits), so it holds before the hardware is opened.
 */
export function checkCalibrationFits(c: Calibration, array: Pick<MtjArray, 'boardId' | 'deviceCount' | 'limits'>, file: string): void {
  if (c.boardId !== array.boardId) throw new CalibrationFileError(file, 'boardId', otherBoard(c.boardId, array.boardId));
  c.devices.forEach((d, i) => {
    if (d.device >= array.deviceCount) {
      throw new CalibrationFileError(file, `devices[${i}].device`, `is ${d.device}, but board ${array.boardId} has ${array.deviceCount} devices`);
    }
  });
  const { minWidthS, maxWidthS } = array.limits;
  if (c.pulseWidthS < minWidthS * (1 - 1e-9) || c.pulseWidthS > maxWidthS * (1 + 1e-9)) {
    throw new CalibrationFileError(file, 'pulseWidthS', `is ${c.pulseWidthS} s, outside the [${minWidthS} s, ${maxWidthS} s] board ${array.boardId} can pulse`);
  }
}

/** The reason a calibration of board `made` does not serve board `used`. */
function otherBoard(made: unknown, used: string): string {
  return `is "${made}" but this device is board "${used}" (calibrate this board)`;
}

/**
 * Write `calibration` to `file` atomically: temp file in the same directory, fsync, rename. A
 * file-system error is a FileWriteError naming `file` (never the temp file) and what went wrong.
 */
export function saveCalibration(file: string, calibration: Calibration): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeCalibrationAtomic(file, tmp, calibration);
  } catch (e) {
    throw isSystemError(e) ? writeErrorFor(file, e, tmp) : e;
  }
}

function writeCalibrationAtomic(file: string, tmp: string, calibration: Calibration): void {
  const bytes = Buffer.from(`${JSON.stringify(calibration, null, 2)}\n`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    // Every byte, or an error: a short write (a full disk) never leaves a torn file behind the rename.
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, file);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* not created or already renamed */
    }
    throw e;
  }
  // fsync the directory so the rename itself is durable (not supported on every platform).
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* directory fsync unsupported */
  }
}

/** Read and validate a calibration file; `expectedBoardId` rejects files made on another board. */
export function loadCalibration(file: string, expectedBoardId?: string): Calibration {
  let text: string;
  try {
    text = readRegularTextSync(file); // a regular file only: a FIFO or /dev/zero would read forever
  } catch (e) {
    if (e instanceof RegularFileError) throw new CalibrationFileError(file, '(file)', `cannot be read: ${e.reason}`);
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CalibrationFileError(file, '(json)', `is not valid JSON: ${(e as Error).message}`);
  }
  return validateCalibration(raw, file, expectedBoardId);
}

/** Physical bounds of a calibration's values: currents within ±1 A, slopes of at least 1/A (a flatter fit does not switch), pulses up to 1 s. */
export const CALIBRATION_BOUNDS = { maxCurrentA: 1, minSlopePerA: 1, maxSlopePerA: 1e12, maxPulseWidthS: 1 } as const;

/** Checks every field's type and range; throws CalibrationFileError naming the file and the first bad field. */
export function validateCalibration(raw: unknown, file: string, expectedBoardId?: string): Calibration {
  const B = CALIBRATION_BOUNDS;
  const finiteIn = (x: unknown, lo: number, hi: number): boolean => typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;
  const fail = (field: string, reason: string): never => {
    throw new CalibrationFileError(file, field, reason);
  };
  // No field outside the schema: a file from a newer spintrain is refused rather than half understood.
  const onlyKnown = (o: Record<string, unknown>, at: string, known: readonly string[]): void => {
    for (const key of Object.keys(o)) if (!known.includes(key)) fail(at ? `${at}.${key}` : key, 'is not a field of a calibration file');
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(root)', 'must be a JSON object');
  const c = raw as Record<string, unknown>;
  onlyKnown(c, '', ['schema', 'schemaVersion', 'boardId', 'createdAt', 'pulseWidthS', 'seed', 'devices']);
  if (c.schema !== CALIBRATION_SCHEMA) fail('schema', `must be "${CALIBRATION_SCHEMA}", got ${shown(c.schema)}`);
  if (c.schemaVersion !== CALIBRATION_SCHEMA_VERSION) {
    fail('schemaVersion', `must be ${CALIBRATION_SCHEMA_VERSION}, got ${shown(c.schemaVersion)}`);
  }
  if (typeof c.boardId !== 'string' || !c.boardId) fail('boardId', 'must be a non-empty string');
  if (expectedBoardId !== undefined && c.boardId !== expectedBoardId) fail('boardId', otherBoard(c.boardId, expectedBoardId));
  if (typeof c.createdAt !== 'string') fail('createdAt', 'must be an ISO date string');
  if (!(finiteIn(c.pulseWidthS, Number.MIN_VALUE, B.maxPulseWidthS))) fail('pulseWidthS', `must be a positive number up to ${B.maxPulseWidthS} [s]`);
  if (!(c.seed === null || c.seed === undefined || (Number.isInteger(c.seed) && finiteIn(c.seed, 0, 0xffffffff)))) fail('seed', 'must be an integer in 0..2^32-1 or null');
  if (!Array.isArray(c.devices) || c.devices.length === 0) fail('devices', 'must be a non-empty array');
  const seen = new Set<number>();
  (c.devices as unknown[]).forEach((d, i) => {
    const f = `devices[${i}]`;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) fail(f, 'must be an object');
    const dv = d as Record<string, unknown>;
    onlyKnown(dv, f, ['device', 'i50A', 'kPerA', 'maxAbsError', 'fitCoverage', 'pairCoverage', 'pairMaxAbsError', 'points']);
    if (!(Number.isSafeInteger(dv.device) && (dv.device as number) >= 0)) fail(`${f}.device`, 'must be a non-negative integer');
    if (seen.has(dv.device as number)) fail(`${f}.device`, `duplicates device ${dv.device}`);
    seen.add(dv.device as number);
    if (!finiteIn(dv.i50A, -B.maxCurrentA, B.maxCurrentA)) fail(`${f}.i50A`, `must be a finite number in ±${B.maxCurrentA} [A]`);
    if (!finiteIn(dv.kPerA, B.minSlopePerA, B.maxSlopePerA)) {
      fail(`${f}.kPerA`, `must be a finite positive number [1/A] in ${B.minSlopePerA}..${B.maxSlopePerA}`);
    }
    // Errors and coverages are differences and fractions of probabilities: within [0, 1].
    for (const key of ['maxAbsError', 'fitCoverage', 'pairCoverage', 'pairMaxAbsError'] as const) {
      if (!finiteIn(dv[key], 0, 1)) fail(`${f}.${key}`, 'must be a number in [0, 1]');
    }
    // Points may be empty: a calibration can come from a device model rather than a sweep.
    if (!Array.isArray(dv.points)) fail(`${f}.points`, 'must be an array');
    (dv.points as unknown[]).forEach((p, j) => {
      const pf = `${f}.points[${j}]`;
      const q = p as Record<string, unknown>;
      if (typeof q !== 'object' || q === null || Array.isArray(q)) fail(pf, 'must be an object');
      onlyKnown(q, pf, ['currentA', 'n', 'high', 'pairs', 'pairs10']);
      if (!finiteIn(q.currentA, -B.maxCurrentA, B.maxCurrentA)) fail(`${pf}.currentA`, `must be a finite number in ±${B.maxCurrentA} [A]`);
      for (const key of ['n', 'high', 'pairs', 'pairs10'] as const) {
        if (!(Number.isSafeInteger(q[key]) && (q[key] as number) >= 0)) fail(`${pf}.${key}`, 'must be a non-negative integer');
      }
      if ((q.n as number) === 0) fail(`${pf}.n`, 'must be at least 1 (a point is a set of draws)');
      if ((q.high as number) > (q.n as number)) fail(`${pf}.high`, 'exceeds n');
      if ((q.pairs10 as number) > (q.pairs as number)) fail(`${pf}.pairs10`, 'exceeds pairs');
    });
  });
  return c as unknown as Calibration;
}

function toBinomial(points: readonly CalibrationPoint[]): BinomialPoint[] {
  return points.map((p) => ({ x: p.currentA, n: p.n, k: p.high }));
}

function quantize(array: MtjArray, device: number, currentA: number): number {
  return array.quantizeCurrentA ? array.quantizeCurrentA(device, currentA) : currentA;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
