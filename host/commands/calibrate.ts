/**
 * `spintrain calibrate --device sim|<port> [--devices N] [--out FILE] [--plots DIR] [--seed S]`
 * Sweeps the write current, fits σ(k (I − I50)) per device, checks P(1,0) against σ′, writes the calibration
 * JSON atomically and, with --plots, P(high) and P(1,0) SVGs. `sim` uses SimMtj (seeded by --seed);
 * a port uses J5Mtj with the Arduino Uno profile over StandardFirmata. Returns the process exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { calibrate, saveCalibration } from '../device/calibration.ts';
import { renderCalibrationPlots } from '../device/calibration-plots.ts';
import { MtjDeviceError } from '../device/errors.ts';
import { J5Mtj } from '../device/j5-mtj.ts';
import type { MtjArray } from '../device/mtj-array.ts';
import { SimMtj } from '../device/sim-mtj.ts';
import { assertSerialPortPath } from '../device/serial-port-path.ts';
import { CliError, numberOption } from './cli-error.ts';
import { parseOptions, pathOption } from './parse-options.ts';

/** Largest simulated array calibrated at once (about a second per 16 devices). */
export const SIM_MAX_DEVICES = 1024;

export const CALIBRATE_USAGE = `usage: spintrain calibrate --device sim|<port> [--devices N] [--out FILE] [--plots DIR] [--seed S]
  --device sim|<port>        the simulated MTJ array, or the serial port of an Arduino Uno on StandardFirmata
  --devices N                calibrate devices 0..N-1 (default all: ${SIM_MAX_DEVICES} at most for sim, the board's count for a port)
  --out FILE                 calibration JSON (default calibration-<board>.json)
  --plots DIR                P(high) and P(1,0) plots as SVG
  --seed S                   seed of the sweep and of the simulated array, 0..2^32-1 (default 1)`;

export interface CalibrateJob {
  device: string;
  devices?: number;
  out?: string;
  plots?: string;
  seed: number;
}

/** Parses and checks every option (CliError naming it, exit 2); touches no device. */
export function parseCalibrateArgs(argv: string[]): CalibrateJob {
  const { values } = parseOptions(argv, {
    device: { type: 'string' },
    devices: { type: 'string' },
    out: { type: 'string' },
    plots: { type: 'string' },
    seed: { type: 'string' },
  });
  if (values.device === undefined) throw new CliError('--device', 'required: sim or the path of a serial port');
  if (values.device.trim() === '') throw new CliError('--device', 'expected sim or the path of a serial port, got ""');
  const max = values.device === 'sim' ? SIM_MAX_DEVICES : (arduinoUno.mtj?.read.adcPins.length ?? 0);
  return {
    device: values.device,
    devices: values.devices === undefined ? undefined : numberOption('--devices', values.devices, 0, 1, max, true),
    out: pathOption('--out', values.out),
    plots: pathOption('--plots', values.plots),
    seed: numberOption('--seed', values.seed, 1, 0, 0xffffffff, true),
  };
}

/** Exit codes: 0 calibrated; 2 a bad option (the message names it); 1 a device error (naming the port) or a file error. */
export async function calibrateCommand(argv: string[]): Promise<number> {
  try {
    return await runCalibrate(parseCalibrateArgs(argv));
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`spintrain calibrate: ${e.message}\nsee: spintrain calibrate --help\n`);
      return 2;
    }
    if (e instanceof MtjDeviceError) {
      process.stderr.write(`spintrain calibrate: ${e.message}\n`);
      return 1;
    }
    throw e; // main reports it (exit 1)
  }
}

async function runCalibrate(job: CalibrateJob): Promise<number> {
  const n = job.devices;
  const seed = job.seed;
  if (job.device !== 'sim') assertSerialPortPath(job.device); // exit 1 naming the port before the driver sees it
  const array: MtjArray =
    job.device === 'sim' ? new SimMtj(n ? { deviceCount: n } : {}, seed) : new J5Mtj({ profile: arduinoUno, port: job.device });
  try {
    await array.open();
    if (n !== undefined && n > array.deviceCount) throw new MtjDeviceError(`--devices ${n} exceeds the ${array.deviceCount} devices of ${array.boardId}`);
    const devices = Array.from({ length: n ?? array.deviceCount }, (_, i) => i);
    const cal = await calibrate(array, { devices, seed });
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
      mkdirSync(job.plots, { recursive: true });
      const svg = await renderCalibrationPlots(cal);
      writeFileSync(join(job.plots, 'p-high-vs-current.svg'), svg.pHigh);
      writeFileSync(join(job.plots, 'p10-vs-current.svg'), svg.pPair);
      console.log(`wrote ${join(job.plots, 'p-high-vs-current.svg')} and p10-vs-current.svg`);
    }
    return 0;
  } finally {
    if (array.isOpen) await array.close();
  }
}
