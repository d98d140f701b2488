/**
 * `--device prng|sim|<serial port path> [--calibration FILE] [--board uno]`: where p-GAF-BP's draws come
 * from. Parsed into a DeviceSpec (no hardware is touched here); host/train/device-session.ts opens it.
 */
import { arduinoUno } from '../../boards/arduino-uno.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { CliError, choiceOption } from './cli-error.ts';

/** Boards a serial-port device can be (`--board`). */
export const PORT_BOARDS = { uno: arduinoUno } as const satisfies Record<string, BoardProfile>;
export type BoardName = keyof typeof PORT_BOARDS;

export type DeviceSpec =
  /** The module's own generator. */
  | { kind: 'prng' }
  /** The simulated SOT-MTJ array, seeded from --seed; calibrated on the fly unless a file is given. */
  | { kind: 'sim'; calibration?: string }
  /** A board running StandardFirmata on a serial port (johnny-five), with its calibration file. */
  | { kind: 'port'; path: string; board: BoardProfile; calibration: string };

/** The parseArgs options of the device (spread into a command's options). */
export const DEVICE_OPTIONS = {
  device: { type: 'string' },
  calibration: { type: 'string' },
  board: { type: 'string' },
} as const;

export const DEVICE_USAGE = `  --device prng|sim|<port>|auto   where the p-GAF draws come from (default prng: the module's generator;
                             sim: simulated MTJ array seeded by --seed; a serial port: MTJ board on StandardFirmata;
                             auto: the one listed serial port that answers Firmata, see spintrain ports)
  --calibration FILE         MTJ calibration (spintrain calibrate); required for a port, sim calibrates on the fly
  --board uno                board profile of a port device (default uno)`;

export function parseDeviceOption(values: { device?: string; calibration?: string; board?: string }): DeviceSpec {
  const device = values.device ?? 'prng';
  if (device === '') throw new CliError('--device', 'expected prng, sim or a serial port path, got ""');
  if (device === 'prng') {
    if (values.calibration !== undefined) throw new CliError('--calibration', 'only applies to --device sim or a serial port');
    if (values.board !== undefined) throw new CliError('--board', 'only applies to a serial port device');
    return { kind: 'prng' };
  }
  if (device === 'sim') {
    if (values.board !== undefined) throw new CliError('--board', 'only applies to a serial port device');
    return { kind: 'sim', calibration: values.calibration };
  }
  const board = PORT_BOARDS[choiceOption('--board', values.board, Object.keys(PORT_BOARDS) as BoardName[], 'uno')];
  if (values.calibration === undefined) {
    throw new CliError('--calibration', `is required with --device ${device} (run \`spintrain calibrate --device ${device}\` first)`);
  }
  return { kind: 'port', path: device, board, calibration: values.calibration };
}
