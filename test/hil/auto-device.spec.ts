/**
 * `spintrain train --device auto` end to end: the finder lists two serial ports, each backed by its own
 * emulated Uno (one on GENUINE StandardFirmata with the MTJ circuit, one whose firmware never answers),
 * probes both on their boards' emulated clocks, picks the Firmata one, and training draws every p-GAF
 * bit through johnny-five from that board. The lister is the only stand-in (this machine's own ports
 * are never probed); everything behind a port is the real stack. Emulated time only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { trainCommand } from '../../host/commands/train.ts';
import { saveCalibration } from '../../host/device/calibration.ts';
import { findFirmataBoard } from '../../host/device/find-firmata-board.ts';
import { EmulatedSerialPort } from '../harness/uno/emulated-serial-port.ts';
import { HIL_XOR_TRAIN_ARGS } from '../harness/hil-xor-recipe.ts';
import { emulatedPorts, type EmulatedPorts } from '../device/emulated-ports.ts';
import { physicsCalibration } from '../support/physics-calibration.ts';

const ARDUINO = { vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' };

describe('train --device auto on emulated boards', () => {
  let bench: EmulatedPorts;
  beforeAll(async () => {
    bench = await emulatedPorts([
      { info: { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' }, firmware: 'silent' },
      { info: { path: '/dev/ttyACM0', ...ARDUINO }, firmware: 'firmata' },
    ]);
  });
  afterAll(() => bench?.stop());
  afterEach(() => vi.restoreAllMocks());

  it('finds the one board answering Firmata, says so, and trains with every draw from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spintrain-auto-'));
    const cal = join(dir, 'cal.json');
    saveCalibration(cal, physicsCalibration(bench.boards.get('/dev/ttyACM0')!, 1));
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    const code = await trainCommand([...HIL_XOR_TRAIN_ARGS, '--seed', '10', '--epochs', '2', '--calibration', cal, '--device', 'auto'], undefined, {
      findBoard: () => findFirmataBoard({ lister: bench.lister, probe: bench.probe, timeoutS: 2.5 }),
      // opening a port resets its board, as on a real Uno
      connect: (path) => {
        const board = bench.boards.get(path);
        return board && { port: new EmulatedSerialPort(board.emulator, { path }), clock: board.clock };
      },
    });
    vi.restoreAllMocks();
    expect(code, out).toBe(0);
    expect([...bench.opened].sort()).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0']); // both probed
    expect(out).toContain('found a Firmata board on /dev/ttyACM0');
    expect(out).toContain('opening Arduino Uno');
    expect(out).toMatch(/epoch 2: loss \d\.\d{3}/);
    expect(out).toMatch(/kept gradients/);
  });
});
