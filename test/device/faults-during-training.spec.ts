/**
 * Faults in the middle of `spintrain train --device <port> --checkpoint FILE`, end to end on the emulated Uno
 * (GENUINE StandardFirmata): the transport closes mid-epoch → TransportClosedError naming the port, the last
 * epoch's checkpoint stays on disk intact, and `--resume FILE --device <port>` continues from it on a fresh board.
 * A board reset mid-epoch (the MCU restarts, Firmata forgets its pin setup) → BoardResponseTimeoutError naming
 * the port after the driver's emulated 2 s. Calibration: the circuit's physics (no sweep), emulated time only.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainCommand } from '../../host/commands/train.ts';
import { saveCalibration } from '../../host/device/calibration.ts';
import { physicsCalibration } from '../support/physics-calibration.ts';
import { BoardResponseTimeoutError, MtjDeviceError, TransportClosedError } from '../../host/device/errors.ts';
import { loadCheckpoint } from '../../host/engine/checkpoint.ts';
import { type EmulatedUno, startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import type { PortConnector } from '../../host/train/device-session.ts';
import { HIL_XOR_TRAIN_ARGS } from '../harness/hil-xor-recipe.ts';

const BOARD_SEED = 3;

afterEach(() => {
  vi.restoreAllMocks();
});

/** `--device <path>` resolves to this emulated board's link. */
function connectTo(hil: EmulatedUno): PortConnector {
  return (path) => (path === hil.port.path ? { port: hil.port, clock: hil.clock } : undefined);
}

/** Calls `fault` once, at the n-th write pulse the board fires (2 pulses per XOR sample, 8 per epoch). */
function atPulse(hil: EmulatedUno, n: number, fault: () => void): void {
  let pulses = 0;
  const off = hil.emulator.onPinChange(hil.profile.mtj!.pulse.pin, (level) => {
    if (level && ++pulses === n) {
      off();
      fault();
    }
  });
}

function quietStdout(): () => string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  return () => out;
}

describe('faults while training on the emulated Uno', () => {
  it('transport closed mid-epoch → TransportClosedError naming the port; the checkpoint survives; --resume continues', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-fault-'));
    const cp = join(dir, 'cp.stw');
    const cal = join(dir, 'calibration.json');
    const args = [...HIL_XOR_TRAIN_ARGS, '--seed', '9', '--epochs', '4', '--checkpoint', cp, '--calibration', cal, '--json'];

    const hil = await startEmulatedUno({ seed: BOARD_SEED, path: 'emulated:uno-a' });
    let err: unknown;
    try {
      saveCalibration(cal, physicsCalibration(hil, BOARD_SEED));
      atPulse(hil, 8 * 2 + 5, () => hil.port.disconnect()); // during the third epoch (index 2)
      quietStdout();
      err = await trainCommand([...args, '--device', hil.port.path], undefined, { connect: connectTo(hil) }).catch((e) => e);
    } finally {
      hil.stop();
    }
    expect(err).toBeInstanceOf(TransportClosedError);
    expect(err).toBeInstanceOf(MtjDeviceError); // the CLI maps it to exit code 1 with this message
    expect((err as Error).message).toMatch(/^transport emulated:uno-a closed during /);
    const kept = await loadCheckpoint(cp); // checksum-verified
    expect(kept.epoch).toBe(1);
    const bytes = readFileSync(cp);

    const hil2 = await startEmulatedUno({ seed: BOARD_SEED, path: 'emulated:uno-b' });
    try {
      const out = quietStdout();
      expect(await trainCommand([...args, '--device', hil2.port.path, '--resume', cp], undefined, { connect: connectTo(hil2) })).toBe(0);
      const r = JSON.parse(out().trim());
      expect(r.config.device).toBe('emulated:uno-b');
      expect(r.perEpoch.map((e: { epoch: number }) => e.epoch)).toEqual([2, 3]);
      expect(r.ops.activationGradient.draws).toBe(2 * 4 * 4 * 2);
    } finally {
      hil2.stop();
    }
    expect((await loadCheckpoint(cp)).epoch).toBe(3);
    expect(readFileSync(cp)).not.toEqual(bytes);
  });

  it('board reset mid-epoch → BoardResponseTimeoutError naming the port; the checkpoint of the last epoch stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-fault-'));
    const cp = join(dir, 'cp.stw');
    const cal = join(dir, 'calibration.json');
    const hil = await startEmulatedUno({ seed: BOARD_SEED, path: 'emulated:uno-c' });
    let err: unknown;
    try {
      saveCalibration(cal, physicsCalibration(hil, BOARD_SEED));
      atPulse(hil, 8 + 3, () => hil.emulator.reset()); // during the second epoch: the firmware reboots, analog reporting is off
      quietStdout();
      const argv = [...HIL_XOR_TRAIN_ARGS, '--seed', '9', '--epochs', '3', '--checkpoint', cp, '--calibration', cal, '--json', '--device', hil.port.path];
      err = await trainCommand(argv, undefined, { connect: connectTo(hil) }).catch((e) => e);
    } finally {
      hil.stop();
    }
    expect(err).toBeInstanceOf(BoardResponseTimeoutError);
    expect((err as Error).message).toMatch(/from emulated:uno-c within 2 s/);
    expect((await loadCheckpoint(cp)).epoch).toBe(0);
  });
});
