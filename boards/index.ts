/**
 * Registry of the board profiles (one file per board). `findBoard` validates the profile it returns
 * and names the known boards when the name is unknown.
 */
import { validateBoardProfile, type BoardProfile } from './board-profile.ts';
import { arduinoUno } from './arduino-uno.ts';
import { esp32DevkitC } from './esp32-devkitc.ts';
import { nrf52840Nano33Ble } from './nrf52840-nano33ble.ts';
import { rp2040Pico } from './rp2040-pico.ts';
import { teensy41 } from './teensy41.ts';
import { UnknownBoardError } from '../host/deploy/errors.ts';

export const BOARDS: readonly BoardProfile[] = [arduinoUno, esp32DevkitC, nrf52840Nano33Ble, rp2040Pico, teensy41];

/** Short names accepted for `--board` besides the ids. */
const ALIASES: Record<string, string> = {
  uno: 'arduino-uno',
  esp32: 'esp32-devkitc',
  nrf52840: 'nrf52840-nano33ble',
  'nano33ble': 'nrf52840-nano33ble',
  'nano-33-ble': 'nrf52840-nano33ble',
  rp2040: 'rp2040-pico',
  pico: 'rp2040-pico',
  teensy4: 'teensy41',
  'teensy-4.1': 'teensy41',
};

export function boardIds(): string[] {
  return BOARDS.map((b) => b.id);
}

export function findBoard(name: string): BoardProfile {
  const id = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
  const board = BOARDS.find((b) => b.id === id);
  if (!board) throw new UnknownBoardError(name, boardIds());
  return validateBoardProfile(board);
}
