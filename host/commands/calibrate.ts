/**
 * `spintrain calibrate --device sim|<port> [--devices N] [--out FILE] [--plots DIR] [--seed S]`
 * Sweeps the write current, fits σ(k (I − I50)) per device, checks P(1,0) against σ′, writes the calibration
 * JSON atomically and, with --plots, P(high) and P(1,0) SVGs. `sim` uses SimMtj (seeded by --seed);
 * a port uses J5Mtj with the Arduino Uno profile over StandardFirmata. Returns the process exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { calibrate, saveCalibration } from '../device/calibration.ts';
import { renderCalibrationPlots } from '../device/calibration-plots.ts';
import { MtjDeviceError } from '../device/errors.ts';
import { J5Mtj } from '../device/j5-mtj.ts';
import type { MtjArray } from '../device/mtj-array.ts';
import { SimMtj } from '../device/sim-mtj.ts';

export const CALIBRATE_USAGE = 'usage: spintrain calibrate --device sim|<port> [--devices N] [--out FILE] [--plots DIR] [--seed S]';

export async function calibrateCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        device: { type: 'string' },
        devices: { type: 'string' },
        out: { type: 'string' },
        plots: { type: 'string' },
        seed: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${CALIBRATE_USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(CALIBRATE_USAGE);
    return 0;
  }
  if (!values.device) {
    console.error(`--device is required\n${CALIBRATE_USAGE}`);
    return 2;
  }
  const seed = Number(values.seed);
  const n = values.devices === undefined ? undefined : Number(values.devices);
  if (!Number.isInteger(seed) || (n !== undefined && !(Number.isInteger(n) && n > 0))) {
    console.error(`--seed and --devices must be integers (--devices ≥ 1)\n${CALIBRATE_USAGE}`);
    return 2;
  }
  const array: MtjArray =
    values.device === 'sim' ? new SimMtj(n ? { deviceCount: n } : {}, seed) : new J5Mtj({ profile: arduinoUno, port: values.device });
  try {
    await array.open();
    if (n !== undefined && n > array.deviceCount) throw new MtjDeviceError(`--devices ${n} exceeds the ${array.deviceCount} devices of ${array.boardId}`);
    const devices = Array.from({ length: n ?? array.deviceCount }, (_, i) => i);
    const cal = await calibrate(array, { devices, seed });
    const out = values.out ?? `calibration-${cal.boardId}.json`;
    saveCalibration(out, cal);
    for (const d of cal.devices) {
      console.log(
        `device ${d.device}: I50 = ${(d.i50A * 1e6).toFixed(2)} µA, k = ${(d.kPerA / 1e3).toFixed(2)} /mA, ` +
          `max |p̂ − σ| = ${d.maxAbsError.toFixed(3)}, max |P̂(1,0) − σ′| = ${d.pairMaxAbsError.toFixed(3)}`,
      );
    }
    console.log(`wrote ${out}`);
    if (values.plots) {
      mkdirSync(values.plots, { recursive: true });
      const svg = await renderCalibrationPlots(cal);
      writeFileSync(join(values.plots, 'p-high-vs-current.svg'), svg.pHigh);
      writeFileSync(join(values.plots, 'p10-vs-current.svg'), svg.pPair);
      console.log(`wrote ${join(values.plots, 'p-high-vs-current.svg')} and p10-vs-current.svg`);
    }
    return 0;
  } catch (e) {
    if (e instanceof MtjDeviceError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  } finally {
    if (array.isOpen) await array.close();
  }
}
