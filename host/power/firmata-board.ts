/**
 * The power meter's Firmata board: the shared Firmata link (host/device/firmata-link.ts) with the I²C and
 * digital calls the INA219 reader and the phase marker use; handshake failures are PowerErrors naming the port.
 */
import { type FirmataIo as LinkIo, type SerialPortLike, openFirmataLink } from '../device/firmata-link.ts';
import type { PowerClock } from './power-clock.ts';
import { PowerError } from './errors.ts';

/** The part of firmata-io the sensor and the marker use. */
export type FirmataIo = Required<Pick<LinkIo, 'i2cConfig' | 'i2cWrite' | 'i2cRead' | 'i2cReadOnce' | 'i2cStop' | 'setSamplingInterval'>> & LinkIo;

export interface FirmataBoard {
  readonly io: FirmataIo;
  readonly portName: string;
  close(): Promise<void>;
}

/** baud: of a port path (the profile's runtime.baud); default 57600. */
export async function openFirmataBoard(port: string | SerialPortLike, clock: PowerClock, readyTimeoutS = 10, baud?: number): Promise<FirmataBoard> {
  const link = await openFirmataLink({ port, clock, readyTimeoutS, error: (m) => new PowerError(m), baud });
  return { io: link.io as FirmataIo, portName: link.portName, close: () => link.close() };
}
