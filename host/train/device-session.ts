/**
 * A device session: the opened source of p-GAF-BP's draws for one training run, from a DeviceSpec.
 *   prng  → the module's generator (nothing to open);
 *   sim   → SimMtj seeded from the run's seed, calibrated on the fly (SIM_CALIBRATION_SWEEP) unless a file
 *           is given; synchronous, served inside the module's step (`via: 'import'`);
 *   port  → J5Mtj over johnny-five/Firmata with the board profile and its calibration file; asynchronous,
 *           served between the module's forward and backward (`via: 'buffer'`).
 * The calibration file is checked against the array (board, pulse width, device indices: MtjBitSource's
 * constructor) before the hardware is opened, so a file for another board fails at once, naming the file
 * and the field.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import { type Calibration, type CalibrationOptions, calibrate, loadCalibration } from '../device/calibration.ts';
import type { DeviceClock } from '../device/device-clock.ts';
import { CalibrationFileError } from '../device/errors.ts';
import { assertSerialPortPath } from '../device/serial-port-path.ts';
import { resolvePortPath } from '../device/find-firmata-board.ts';
import { J5Mtj, describeSamplingPath } from '../device/j5-mtj.ts';
import type { SerialPortLike } from '../device/firmata-link.ts';
import type { MtjArray } from '../device/mtj-array.ts';
import { MtjBitSource } from '../device/mtj-bit-source.ts';
import { SimMtj } from '../device/sim-mtj.ts';
import type { Draws } from '../engine/wasm-engine.ts';

/** Where the draws of a run come from (`--device`, parsed by host/commands/device-option.ts). */
export type DeviceSpec =
  /** The module's own generator. */
  | { kind: 'prng' }
  /** The simulated SOT-MTJ array, seeded from --seed; calibrated on the fly unless a file is given. */
  | { kind: 'sim'; calibration?: string }
  /** A board running StandardFirmata on a serial port (johnny-five), with its calibration file. */
  | { kind: 'port'; path: string; board: BoardProfile; calibration: string };

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
    if (spec.calibration === undefined) {
      options.log?.(`calibrating the simulated MTJ array (${sim.deviceCount} devices, seed ${options.seed})`);
      return arraySession('sim', new MtjBitSource(sim, await calibrate(sim, { ...SIM_CALIBRATION_SWEEP, seed: options.seed })), 'import');
    }
    const calibration = loadCalibration(spec.calibration, sim.boardId);
    const source = new MtjBitSource(sim, calibration, spec.calibration); // checks the file fits the array
    if (typeof calibration.seed === 'number' && calibration.seed !== options.seed) {
      throw new CalibrationFileError(spec.calibration, 'seed', `is ${calibration.seed}, but the simulated array is seeded with --seed ${options.seed} (other devices)`);
    }
    return arraySession('sim', source, 'import');
  }
  // Check the file before touching the hardware: a wrong file fails fast and names itself.
  const raw = loadCalibration(spec.calibration, spec.board.id);
  const baud = spec.board.runtime.kind === 'host-tethered' ? spec.board.runtime.baud : undefined;
  const path = await resolvePortPath(spec.path, { find: options.findBoard, log: options.log, baud });
  const link = options.connect?.(path);
  const array = new J5Mtj({ profile: spec.board, port: link?.port ?? path, clock: link?.clock });
  const source = new MtjBitSource(array, raw, spec.calibration); // checks the file fits the board; opens nothing
  if (!link) assertSerialPortPath(path); // before the driver sees it: exit 1 naming the port, never a hang
  await array.open();
  options.log?.(`opening ${spec.board.name} on ${path}: sampling through ${describeSamplingPath(array.samplingPath)}`);
  return arraySession(path, source, 'buffer');
}

function arraySession(label: string, source: MtjBitSource, via: 'import' | 'buffer'): DeviceSession {
  const { array, calibration } = source;
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
