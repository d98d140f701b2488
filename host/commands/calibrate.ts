/**
 * `spintrain calibrate --device sim|<port> [--board uno] [--devices N] [--samples N] [--out FILE] [--plots DIR] [--seed S]`
 * Sweeps the write current, fits σ(k (I − I50)) per device, checks P(1,0) against σ′, writes the calibration
 * JSON atomically and, with --plots, P(high) and P(1,0) SVGs (atomically too). `sim` uses SimMtj (seeded by
 * --seed); a port uses J5Mtj over StandardFirmata with the --board profile of the registry (boards/index.ts;
 * default the Arduino Uno), as `train --device <port>` does. Returns the process exit code.
 *
 * The sweep (host/device/calibration.ts) has two stages: a coarse one over the whole current range
 * (defaultCalibrationOptions.coarseDraws = 16 draws per current) only locates each transition; the fine one
 * between the coarse fit's 2 % and 98 % currents takes --samples draws per current, and the fit and its
 * error (max |p̂ − σ|) come from those points. The error's sampling part shrinks as 1/√N (one standard
 * deviation of p̂ at p = ½ is 0.5/√N: 0.035 at N = 200); a floor remains where the device's curve is not a
 * logistic. Runtime grows ∝ N (on a board, one Firmata round trip per draw).
 *
 * Errors: every line on stderr begins with "spintrain calibrate: " (exit 2 for a bad option, 1 otherwise).
 */
import { join } from 'node:path';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { calibrate, defaultCalibrationOptions, MAX_ERROR_MIN_DRAWS, saveCalibration } from '../device/calibration.ts';
import { renderCalibrationPlots } from '../report/calibration-plots.ts';
import { BoardError } from '../../boards/errors.ts';
import { MtjDeviceError, PortNotFoundError } from '../device/errors.ts';
import { J5Mtj } from '../device/j5-mtj.ts';
import type { MtjArray } from '../device/mtj-array.ts';
import { SimMtj } from '../device/sim-mtj.ts';
import { AUTO_PORT, resolvePortPath } from '../device/find-firmata-board.ts';
import { assertSerialPortPath } from '../device/serial-port-path.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { FileWriteError, makeDirFor } from '../io/write-error.ts';
import { CliError, numberOption } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { PORT_BOARD_USAGE, portBoardOption } from './device-option.ts';

/** Largest simulated array calibrated at once (about a second per 16 devices). */
export const SIM_MAX_DEVICES = 1024;

/**
 * --samples: draws per current of the fine sweep. Default: the sweep's own (200). At least
 * MAX_ERROR_MIN_DRAWS (64): fewer draws give no fit-error figure (calibration.ts leaves noisier points out
 * of max |p̂ − σ|). At most 100 000 (about 2 million draws per device at the 21 fine currents).
 */
export const SAMPLES_DEFAULT = defaultCalibrationOptions.fineDraws;
export const SAMPLES_MIN = MAX_ERROR_MIN_DRAWS;
export const SAMPLES_MAX = 100_000;

export const CALIBRATE_USAGE = `usage: spintrain calibrate [--device sim|<port>|auto] [--board NAME] [--devices N] [--samples N] [--out FILE] [--plots DIR] [--seed S]
  --device sim|<port>|auto   the simulated MTJ array, or the serial port of a --board on StandardFirmata
                             (default auto: the one listed port that answers Firmata, see spintrain ports)
${PORT_BOARD_USAGE}
  --devices N                calibrate devices 0..N-1 (default all: ${SIM_MAX_DEVICES} at most for sim, the board's count for a port)
  --samples N                draws per current where P(high) changes, which the fit uses: ${SAMPLES_MIN}..${SAMPLES_MAX}
                             (default ${SAMPLES_DEFAULT}; the sampling error of the fit falls as 1/√N, runtime grows ∝ N;
                             the coarse sweep that finds the transition keeps ${defaultCalibrationOptions.coarseDraws} per current)
  --out FILE                 calibration JSON (default calibration-<board>.json)
  --plots DIR                P(high) and P(1,0) plots as SVG
  --seed S                   seed of the sweep and of the simulated array, 0..2^32-1 (default 1)`;

/** The files --plots DIR receives. */
export const PLOT_FILES = { pHigh: 'p-high-vs-current.svg', pPair: 'p10-vs-current.svg' } as const;

export interface CalibrateJob {
  device: string;
  /** The board profile of a port device (--board); undefined for sim. */
  board?: BoardProfile;
  devices?: number;
  /** Draws per current of the fine sweep. */
  samples: number;
  out?: string;
  plots?: string;
  seed: number;
  /** Finds the port for --device auto (tests; default: the single listed port answering Firmata). */
  findBoard?: () => Promise<string>;
}

/** The parseArgs options of the command (CALIBRATE_USAGE names each). */
export const CALIBRATE_OPTIONS = {
  device: { type: 'string' },
  board: { type: 'string' },
  devices: { type: 'string' },
  samples: { type: 'string' },
  out: { type: 'string' },
  plots: { type: 'string' },
  seed: { type: 'string' },
} as const;

/** Parses and checks every option (CliError naming it, exit 2); touches no device. */
export function parseCalibrateArgs(argv: string[]): CalibrateJob {
  const { values } = parseOptions(argv, CALIBRATE_OPTIONS);
  values.device ??= AUTO_PORT;
  if (values.device.trim() === '') throw new CliError('--device', 'expected sim, auto or the path of a serial port, got ""');
  const sim = values.device === 'sim';
  if (sim && values.board !== undefined) throw new CliError('--board', 'only applies to a serial port device');
  const board = sim ? undefined : portBoardOption(values.board);
  const max = board ? (board.mtj?.read.adcPins.length ?? 0) : SIM_MAX_DEVICES;
  return {
    device: values.device,
    board,
    devices: values.devices === undefined ? undefined : numberOption('--devices', values.devices, 0, 1, max, true),
    samples: numberOption('--samples', values.samples, SAMPLES_DEFAULT, SAMPLES_MIN, SAMPLES_MAX, true),
    out: pathOption('--out', values.out),
    plots: pathOption('--plots', values.plots),
    seed: numberOption('--seed', values.seed, 1, 0, 0xffffffff, true),
  };
}

/** Writes `message` to stderr, every line beginning with "spintrain calibrate: ". */
function complain(message: string): void {
  process.stderr.write(message.split('\n').map((line) => `spintrain calibrate: ${line}\n`).join(''));
}

/**
 * Exit codes: 0 calibrated; 2 a bad option (the message names it); 1 anything else — a device error
 * (naming the port), a file that cannot be written (naming it), or an unexpected error (SPINTRAIN_DEBUG=1
 * adds its stack). Every error line begins with "spintrain calibrate: ".
 */
export async function calibrateCommand(argv: string[], deps: Pick<CalibrateJob, 'findBoard'> = {}): Promise<number> {
  try {
    return await runCalibrate({ ...parseCalibrateArgs(argv), ...deps });
  } catch (e) {
    if (e instanceof CliError) {
      complain(`${e.message}\nsee spintrain calibrate --help`);
      return 2;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    complain(err.message);
    if (process.env.SPINTRAIN_DEBUG && !(e instanceof MtjDeviceError || e instanceof BoardError || e instanceof FileWriteError)) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

/** The port check, with the hint of this command (--device takes sim or a port here, never prng). */
function assertPort(path: string): void {
  try {
    assertSerialPortPath(path);
  } catch (e) {
    if (e instanceof PortNotFoundError) throw new PortNotFoundError(path, '--device expects sim or the path of a serial port');
    throw e;
  }
}

async function runCalibrate(job: CalibrateJob): Promise<number> {
  const n = job.devices;
  const seed = job.seed;
  const portBoard = job.board ?? portBoardOption(undefined);
  const baud = portBoard.runtime.kind === 'host-tethered' ? portBoard.runtime.baud : undefined;
  const device = job.device === 'sim' ? 'sim' : await resolvePortPath(job.device, { find: job.findBoard, log: (s) => process.stdout.write(s + '\n'), baud });
  if (device !== 'sim') assertPort(device); // exit 1 naming the port before the driver sees it
  const array: MtjArray =
    device === 'sim' ? new SimMtj(n ? { deviceCount: n } : {}, seed) : new J5Mtj({ profile: portBoard, port: device });
  try {
    await array.open();
    if (n !== undefined && n > array.deviceCount) throw new MtjDeviceError(`--devices ${n} exceeds the ${array.deviceCount} devices of ${array.boardId}`);
    const devices = Array.from({ length: n ?? array.deviceCount }, (_, i) => i);
    const cal = await calibrate(array, { devices, seed, fineDraws: job.samples });
    const out = job.out ?? `calibration-${cal.boardId}.json`;
    saveCalibration(out, cal);
    for (const d of cal.devices) {
      console.log(
        `device ${d.device}: I50 = ${(d.i50A * 1e6).toFixed(2)} µA, k = ${(d.kPerA / 1e3).toFixed(2)} /mA, ` +
          `max |p̂ − σ| = ${d.maxAbsError.toFixed(3)}, max |P̂(1,0) − σ′| = ${d.pairMaxAbsError.toFixed(3)}`,
      );
    }
    console.log(`wrote ${out}`);
    if (job.plots) {
      makeDirFor(job.plots, PLOT_FILES.pHigh);
      const svg = await renderCalibrationPlots(cal);
      await writeFileAtomic(join(job.plots, PLOT_FILES.pHigh), svg.pHigh);
      await writeFileAtomic(join(job.plots, PLOT_FILES.pPair), svg.pPair);
      console.log(`wrote ${join(job.plots, PLOT_FILES.pHigh)} and ${PLOT_FILES.pPair}`);
    }
    return 0;
  } finally {
    if (array.isOpen) await array.close();
  }
}
