/**
 * The one registry of the board profiles (one file per board). `findBoard` validates the profile it
 * returns and names the known boards when the name is unknown; `lookupBoard` answers undefined instead.
 * `--board` takes an id or a short name (ALIASES). The boards a serial-port device can be (johnny-five
 * over Firmata driving the MTJ circuit: `train --device <port>`, `calibrate`) are the ones with a
 * host-tethered Firmata runtime and an `mtj` wiring (isPortBoard); the Uno is their default.
 */
import { validateBoardProfile, type BoardProfile } from './board-profile.ts';
import { arduinoUno } from './arduino-uno.ts';
import { arduinoUnoSpintrain } from './arduino-uno-spintrain.ts';
import { esp32DevkitC } from './esp32-devkitc.ts';
import { nrf52840Nano33Ble } from './nrf52840-nano33ble.ts';
import { rp2040Pico } from './rp2040-pico.ts';
import { teensy41 } from './teensy41.ts';
import { UnknownBoardError } from './errors.ts';

export const BOARDS: readonly BoardProfile[] = [arduinoUno, arduinoUnoSpintrain, esp32DevkitC, nrf52840Nano33Ble, rp2040Pico, teensy41];

/** Short names accepted for `--board` besides the ids; a board's first one is its name in help texts. */
const ALIASES: Record<string, string> = {
  uno: 'arduino-uno',
  'uno-spintrain': 'arduino-uno-spintrain',
  esp32: 'esp32-devkitc',
  nrf52840: 'nrf52840-nano33ble',
  'nano33ble': 'nrf52840-nano33ble',
  'nano-33-ble': 'nrf52840-nano33ble',
  rp2040: 'rp2040-pico',
  pico: 'rp2040-pico',
  teensy4: 'teensy41',
  'teensy-4.1': 'teensy41',
};

/** The board a serial-port device is when `--board` is not given. */
export const DEFAULT_PORT_BOARD = 'uno';

export function boardIds(): string[] {
  return BOARDS.map((b) => b.id);
}

/** The board named `name` (an id or a short name, any case), validated; undefined when none is. */
export function lookupBoard(name: string): BoardProfile | undefined {
  const id = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
  const board = BOARDS.find((b) => b.id === id);
  return board && validateBoardProfile(board);
}

export function findBoard(name: string): BoardProfile {
  const board = lookupBoard(name);
  if (!board) throw new UnknownBoardError(name, boardIds());
  return board;
}

/** A board johnny-five drives over Firmata as an MTJ array: host-tethered, with an MTJ circuit. */
export function isPortBoard(board: BoardProfile): boolean {
  return board.runtime.kind === 'host-tethered' && board.runtime.transport === 'firmata' && board.mtj !== undefined;
}

/** The short name of a board (its first alias), else its id. */
export function boardShortName(board: BoardProfile): string {
  return Object.keys(ALIASES).find((a) => ALIASES[a] === board.id) ?? board.id;
}

/** The short names of the boards a serial-port device can be (for `--board` and its help). */
export function portBoardNames(): string[] {
  return BOARDS.filter(isPortBoard).map(boardShortName);
}
