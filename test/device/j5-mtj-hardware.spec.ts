/**
 * The contract suite on a PHYSICAL board: runs only when SPINTRAIN_PORT names a serial port with an
 * Arduino Uno running StandardFirmata and the MTJ daughter board of boards/arduino-uno.ts; skipped otherwise.
 */
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { mtjContract } from './mtj-contract.ts';

const port = process.env.SPINTRAIN_PORT;

mtjContract(
  `J5Mtj on a physical ${arduinoUno.id} at ${port ?? '(SPINTRAIN_PORT unset)'}`,
  async () => ({ array: new J5Mtj({ profile: arduinoUno, port }) }),
  { skip: !port, drawsPerPoint: 12, sweepPoints: 10, pairs: 150 },
);
