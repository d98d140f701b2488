/**
 * `--device prng|sim|<serial port path> [--calibration FILE] [--board uno]`: where p-GAF-BP's draws come
 * from. Parsed into a DeviceSpec (host/train/device-session.ts; no hardware is touched here), which
 * device-session.ts then opens. The boards `--board` takes come from the one registry, boards/index.ts.
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import { DEFAULT_PORT_BOARD, isPortBoard, lookupBoard, portBoardNames } from '../../boards/index.ts';
import type { DeviceSpec } from '../train/device-session.ts';
import { CliError } from './errors.ts';

export type { DeviceSpec } from '../train/device-session.ts';

/** The parseArgs options of the device (spread into a command's options). */
export const DEVICE_OPTIONS = {
  device: { type: 'string' },
  calibration: { type: 'string' },
  board: { type: 'string' },
} as const;

/** The help line of `--board` for a serial-port device (train, calibrate). */
export const PORT_BOARD_USAGE = `${`  --board ${portBoardNames().join('|')}`.padEnd(28)} board profile of a port device (default ${DEFAULT_PORT_BOARD})`;

export const DEVICE_USAGE = `  --device prng|sim|<port>|auto   where the p-GAF draws come from (default prng: the module's generator;
                             sim: simulated MTJ array seeded by --seed; a serial port: MTJ board on StandardFirmata
                             or spintrain's firmware (spintrain flash; sampled on the board, much faster);
                             auto: the one listed serial port that answers Firmata, see spintrain ports)
  --calibration FILE         MTJ calibration (spintrain calibrate); required for a port, sim calibrates on the fly
${PORT_BOARD_USAGE}`;

/** `--board` of a serial-port device: a board of the registry that J5Mtj can drive (default the Uno). */
export function portBoardOption(raw: string | undefined): BoardProfile {
  const board = lookupBoard(raw ?? DEFAULT_PORT_BOARD);
  if (!board || !isPortBoard(board)) throw new CliError('--board', `expected one of ${portBoardNames().join(', ')}, got "${raw}"`);
  return board;
}

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
  const board = portBoardOption(values.board);
  if (values.calibration === undefined) {
    throw new CliError('--calibration', `is required with --device ${device} (run \`spintrain calibrate --device ${device}\` first)`);
  }
  return { kind: 'port', path: device, board, calibration: values.calibration };
}
