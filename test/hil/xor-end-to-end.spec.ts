/**
 * XOR trained end to end through the emulated board (the paper trained XOR on hardware): every p-GAF draw
 * is served by MtjBitSource over J5Mtj → johnny-five → firmata-io → GENUINE StandardFirmata on avr8js →
 * emulated MTJ circuit, after a calibration through the same path. The device is opened by the same
 * session code as `spintrain train --device <port>` (the port path resolved to the emulated link, which
 * resets the board on open as an Uno does). Emulated time only, and every host wait is on the emulated
 * clock: the run is the same on a quiet or a loaded machine (same seed → same draws → same epochs), and
 * every byte the host sends reaches the firmware (the emulator models the ATmega328P's receive FIFO), so
 * every draw is exactly one pulse on the board.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { calibrate, saveCalibration } from '../../host/device/calibration.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { EmulatedSerialPort } from '../harness/uno/emulated-serial-port.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { openDeviceSession } from '../../host/train/device-session.ts';
import { HIL_CALIBRATION_SWEEP, HIL_XOR_TRAIN_ARGS } from '../harness/hil-xor-recipe.ts';
import { train } from '../../host/train/trainer.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';

const SEED = 10;
/** p-GAF-BP on XOR from 4 points is a stochastic search: with this recipe it first reaches 100 % within 60 epochs for 18 of 24 seeds (median 32); seed 10 does. */
const MAX_EPOCHS = 60;

describe('XOR through the emulated Uno (StandardFirmata)', () => {
  it('calibrates through Firmata, then trains XOR to 100 % with every draw from the board', async () => {
    const hil = await startEmulatedUno({ seed: SEED, path: 'emulated:uno' });
    try {
      // 1. Calibration through the same path, written as `spintrain calibrate` would.
      const calMtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
      await calMtj.open();
      const calibration = await calibrate(calMtj, { ...HIL_CALIBRATION_SWEEP, seed: SEED });
      await calMtj.close();
      for (const d of calibration.devices) {
        const physics = hil.circuit.sim.logisticBridge(d.device);
        expect(Math.abs(d.i50A - physics.i50A)).toBeLessThan(15e-6);
      }
      const file = join(mkdtempSync(join(tmpdir(), 'spintrain-hil-')), 'calibration-arduino-uno.json');
      saveCalibration(file, calibration);

      // 2. The training session: `--device emulated:uno --calibration file`, on a fresh link to the running board.
      const session = await openDeviceSession(
        { kind: 'port', path: 'emulated:uno', board: arduinoUno, calibration: file },
        { seed: SEED, connect: (path) => ({ port: new EmulatedSerialPort(hil.emulator, path), clock: hil.clock }) },
      );
      expect(session.draws).toMatchObject({ kind: 'host', via: 'buffer' });
      const pulses0 = hil.circuit.pulses;
      const t0 = hil.emulator.timeS;
      let accuracy = 0;
      let draws = 0;
      let epochs = 0;
      try {
        const { dataset, config } = parseTrainArgs([...HIL_XOR_TRAIN_ARGS, '--seed', String(SEED)]);
        const engine = new SpintrainEngine(config, session.draws);
        while (accuracy < 1 && epochs < MAX_EPOCHS) {
          const r = await train(dataset, config, { epochs: epochs + 1, startEpoch: epochs, engine });
          accuracy = r.testAccuracy;
          draws += r.ops.activationGradient.draws;
          epochs++;
        }
      } finally {
        await session.close();
      }
      const emulatedS = hil.emulator.timeS - t0;
      expect(accuracy).toBe(1);
      expect(draws).toBe(epochs * 4 * 4 * 2); // 4 samples × 4 hidden neurons × 2 draws
      // Every draw was a pulse on the board: 2 rounds of 4 parallel junctions per sample, none lost.
      expect(hil.emulator.rxOverruns).toBe(0);
      expect(hil.circuit.pulses - pulses0).toBe(draws / 4);
      console.log(`XOR via HIL: 100 % after ${epochs} epochs, ${draws} draws, ${emulatedS.toFixed(3)} s emulated (${hil.emulator.cpu.cycles} cycles), ${(draws / emulatedS).toFixed(0)} bits/s emulated`);
    } finally {
      hil.stop();
    }
  });
});
