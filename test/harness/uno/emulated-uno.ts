/**
 * Hardware-in-the-loop without hardware: the genuine StandardFirmata hex on an emulated Uno, the MTJ
 * daughter board of a profile attached to its pins, and a serial-port-like link for johnny-five.
 *
 *   const hil = await startEmulatedUno();                  // boots StandardFirmata
 *   const mtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
 *   await mtj.open(); … await mtj.close(); hil.stop();
 *
 * `firmware: 'spintrain'` boots spintrain's own firmware instead (boards/firmware/uno, built from source and
 * cached by test/harness/uno/build-firmware.ts, at the profile's baud rate): Firmata-compatible plus the
 * MTJ_SAMPLE sysex command. `profile: arduinoUnoSpintrain` attaches the fast MTJ board (31.37 kHz PWM filter).
 */
import type { BoardProfile } from '../../../boards/board-profile.ts';
import { arduinoUno } from '../../../boards/arduino-uno.ts';
import type { DeviceClock } from '../../../host/device/device-clock.ts';
import type { SimMtjConfig } from '../../../host/device/sim-mtj.ts';
import { EmulatedMtjCircuit } from './emulated-mtj-circuit.ts';
import { EmulatedSerialPort } from './emulated-serial-port.ts';
import { buildUnoFirmware } from './build-firmware.ts';
import { loadFirmataHex } from './firmata-hex.ts';
import { UnoEmulator, type UnoEmulatorOptions } from './uno-emulator.ts';

export interface EmulatedUnoOptions extends UnoEmulatorOptions {
  profile?: BoardProfile;
  /** Firmware (Intel HEX text). Default the genuine StandardFirmata (fetched and cached). */
  hex?: string;
  /** Which firmware to boot when `hex` is not given. Default 'standard-firmata'. */
  firmware?: 'standard-firmata' | 'spintrain';
  /** Seed of the simulated junctions. */
  seed?: number;
  simConfig?: Partial<SimMtjConfig>;
  /** Serial port path shown in errors. Default 'emulated:uno'. */
  path?: string;
}

export interface EmulatedUno {
  profile: BoardProfile;
  emulator: UnoEmulator;
  port: EmulatedSerialPort;
  circuit: EmulatedMtjCircuit;
  /** Emulated time base for J5Mtj. */
  clock: DeviceClock;
  stop(): void;
}

export async function startEmulatedUno(options: EmulatedUnoOptions = {}): Promise<EmulatedUno> {
  const profile = options.profile ?? arduinoUno;
  // spintrain's firmware is built for the profile's link speed, as `spintrain flash --board` builds it
  const baud = profile.runtime.kind === 'host-tethered' ? profile.runtime.baud : undefined;
  const hex = options.hex ?? (options.firmware === 'spintrain' ? (await buildUnoFirmware({ baud })).hex : await loadFirmataHex());
  const emulator = new UnoEmulator(hex, options);
  const circuit = new EmulatedMtjCircuit(emulator, profile, options.simConfig, options.seed ?? 1);
  const port = new EmulatedSerialPort(emulator, options.path);
  emulator.start();
  return {
    profile,
    emulator,
    port,
    circuit,
    clock: { delay: (s) => emulator.delay(s) },
    stop: () => {
      circuit.detach();
      emulator.stop();
    },
  };
}
