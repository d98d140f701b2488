/**
 * A device session: the opened source of p-GAF-BP's draws for one training run, from a DeviceSpec.
 *   prng  → the module's generator (nothing to open);
 *   sim   → SimMtj seeded from the run's seed, calibrated on the fly (SIM_CALIBRATION_SWEEP) unless a file
 *           is given; synchronous, served inside the module's step (`via: 'import'`);
 *   port  → J5Mtj over johnny-five/Firmata with the board profile and its calibration file; asynchronous,
 *           served between the module's forward and backward (`via: 'buffer'`).
 * The calibration file is checked against the array (board, pulse width, device indices) before training,
 * so a file for another board fails at once, naming the file and the field.
 */
import type { DeviceSpec } from '../commands/device-option.ts';
import { type Calibration, type CalibrationOptions, calibrate, loadCalibration } from '../device/calibration.ts';
import type { DeviceClock } from '../device/device-clock.ts';
import { CalibrationFileError } from '../device/errors.ts';
import { assertSerialPortPath } from '../device/serial-port-path.ts';
import { resolvePortPath } from '../device/find-firmata-board.ts';
import { J5Mtj } from '../device/j5-mtj.ts';
import type { SerialPortLike } from '../device/firmata-link.ts';
import type { MtjArray } from '../device/mtj-array.ts';
import { MtjBitSource } from '../device/mtj-bit-source.ts';
import { SimMtj } from '../device/sim-mtj.ts';
import type { Draws } from '../engine/wasm-engine.ts';

/** The on-the-fly sweep of `--device sim` (a fraction of a second for 16 simulated junctions). */
export const SIM_CALIBRATION_SWEEP: Partial<CalibrationOptions> = { coarsePoints: 17, coarseDraws: 16, finePoints: 11, fineDraws: 100 };

/**
 * Resolves a port path to a serial-port-like link before node-serialport is tried (e.g. an emulated
 * board in tests); undefined = not handled here.
 */
export type PortConnector = (path: string) => { port: SerialPortLike; clock?: DeviceClock } | undefined;

export interface DeviceSessionOptions {
  /** Seeds the simulated array (the run's --seed). */
  seed: number;
  connect?: PortConnector;
  /** Finds the port for --device auto (default: the single listed port answering Firmata). */
  findBoard?: () => Promise<string>;
  log?: (line: string) => void;
}

export interface DeviceSession {
  /** What the run reports as its device: 'prng', 'sim' or the port path. */
  readonly label: string;
  readonly draws: Draws;
  readonly array?: MtjArray;
  readonly calibration?: Calibration;
  /** Releases the hardware (idempotent). */
  close(): Promise<void>;
}

/** A session around draws given by the caller (nothing to open or close). */
export function fixedDrawsSession(draws: Draws): DeviceSession {
  return { label: draws.kind === 'prng' ? 'prng' : 'host', draws, close: async () => undefined };
}

export async function openDeviceSession(spec: DeviceSpec, options: DeviceSessionOptions): Promise<DeviceSession> {
  if (spec.kind === 'prng') return fixedDrawsSession({ kind: 'prng' });
  if (spec.kind === 'sim') {
    const sim = new SimMtj({}, options.seed);
    await sim.open();
    let calibration: Calibration;
    if (spec.calibration !== undefined) {
      calibration = loadCalibration(spec.calibration, sim.boardId);
      checkCalibrationFits(calibration, sim, spec.calibration);
      if (typeof calibration.seed === 'number' && calibration.seed !== options.seed) {
        throw new CalibrationFileError(spec.calibration, 'seed', `is ${calibration.seed}, but the simulated array is seeded with --seed ${options.seed} (other devices)`);
      }
    } else {
      options.log?.(`calibrating the simulated MTJ array (${sim.deviceCount} devices, seed ${options.seed})`);
      calibration = await calibrate(sim, { ...SIM_CALIBRATION_SWEEP, seed: options.seed });
    }
    return arraySession('sim', sim, calibration, 'import');
  }
  // Check the file before touching the hardware: a wrong file fails fast and names itself.
  const raw = loadCalibration(spec.calibration, spec.board.id);
  const path = await resolvePortPath(spec.path, { find: options.findBoard, log: options.log });
  const link = options.connect?.(path);
  const array = new J5Mtj({ profile: spec.board, port: link?.port ?? path, clock: link?.clock });
  checkCalibrationFits(raw, array, spec.calibration);
  if (!link) assertSerialPortPath(path); // before the driver sees it: exit 1 naming the port, never a hang
  options.log?.(`opening ${spec.board.name} on ${path}`);
  await array.open();
  return arraySession(path, array, raw, 'buffer');
}

function arraySession(label: string, array: MtjArray, calibration: Calibration, via: 'import' | 'buffer'): DeviceSession {
  const source = new MtjBitSource(array, calibration);
  let closed = false;
  return {
    label,
    draws: { kind: 'host', source, via },
    array,
    calibration,
    close: async () => {
      if (closed) return;
      closed = true;
      await array.close(); // also after a transport fault: releases the driver's timers
    },
  };
}

/** A calibration the array can use: every device index exists, the pulse width is one it can produce. */
function checkCalibrationFits(c: Calibration, array: MtjArray, file: string): void {
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
