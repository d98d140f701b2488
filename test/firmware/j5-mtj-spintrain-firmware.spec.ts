/**
 * The MtjArray contract suite of test/device/mtj-contract.ts — the one the genuine StandardFirmata passes in
 * test/hil/j5-mtj-emulated-uno.spec.ts — with spintrain's own firmware on the emulated Uno, through the
 * J5Mtj driver kept on its plain Firmata path (sysex: false: PWM writes, digital pulses, REPORT_VERSION barriers,
 * analog reports); the MTJ_SAMPLE fast path runs the same suite in j5-mtj-sysex.spec.ts.
 */
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { mtjContract } from '../device/mtj-contract.ts';
import { skipReason } from '../setup/tool-list.ts';

const skip = skipReason(['avrGcc', 'avrLibc', 'arduinoCoreAvr']);

mtjContract(
  'J5Mtj on the emulated Uno (spintrain firmware)',
  async () => {
    const hil = await startEmulatedUno({ firmware: 'spintrain', seed: 21 });
    const array = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock, sysex: false }); // the plain Firmata path
    return {
      array,
      cleanup: async () => {
        if (hil.emulator.rxOverruns !== 0) throw new Error(`${hil.emulator.rxOverruns} receive overruns on the emulated Uno`);
        hil.stop();
      },
    };
  },
  { drawsPerPoint: 12, sweepPoints: 10, pairs: 150, skip: skip !== false },
);
