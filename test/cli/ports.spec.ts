/**
 * `spintrain ports` against an emulated bench: two listed ports, one an emulated Uno running the genuine
 * StandardFirmata (it answers the probe), one a board whose firmware never speaks Firmata (the probe gives up
 * after --timeout seconds of that board's emulated time, never of wall time). Also: listing failures (stderr,
 * exit 0, empty list), --no-probe, bad options (exit 2), and the real lister of this machine.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PORTS_USAGE, parsePortsArgs, portsCommand } from '../../host/commands/ports.ts';
import type { FirmataProbe } from '../../host/device/firmata-probe.ts';
import { PortListError, type PortInfo } from '../../host/device/port-list.ts';
import { captureOutput } from '../support/capture-output.ts';
import { emulatedPorts, type EmulatedPorts } from '../device/emulated-ports.ts';

const UNO: PortInfo = {
  path: '/dev/ttyACM0',
  vendorId: '2341',
  productId: '0043',
  manufacturer: 'Arduino (www.arduino.cc)',
  serialNumber: '85736323838351F0E1C1',
  pnpId: 'usb-Arduino__www.arduino.cc__0043_85736323838351F0E1C1-if00',
};
const SILENT: PortInfo = { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: '1a86' };

const notCalled: FirmataProbe = {
  probe: async () => {
    throw new Error('the probe must not run');
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('spintrain ports on an emulated bench', () => {
  let bench: EmulatedPorts;
  beforeAll(async () => {
    // listed out of order: the command prints them in path order
    bench = await emulatedPorts([
      { info: SILENT, firmware: 'silent' },
      { info: UNO, firmware: 'firmata' },
    ]);
  });
  afterAll(() => bench?.stop());

  it('a table: the Uno answers StandardFirmata, the silent board times out on its emulated clock', async () => {
    const silent = bench.boards.get(SILENT.path)!.emulator;
    const t0 = silent.timeS;
    const io = captureOutput();
    const code = await portsCommand(['--timeout', '2.5'], { lister: bench.lister, probe: bench.probe });
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(silent.timeS - t0).toBeGreaterThanOrEqual(2.5);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^PATH\s+VID\s+PID\s+MANUFACTURER\s+SERIAL\s+FIRMATA$/);
    expect(lines[1]).toMatch(/^\/dev\/ttyACM0\s+2341\s+0043\s+Arduino \(www\.arduino\.cc\)\s+85736323838351F0E1C1\s+yes: StandardFirmata\.ino 2\.4 \(protocol 2\.4\)$/);
    expect(lines[2]).toMatch(/^\/dev\/ttyUSB0\s+1a86\s+7523\s+1a86\s+-\s+no: no Firmata version report within 2\.5 s$/);
    // columns aligned
    expect(lines[1].indexOf('yes:')).toBe(lines[0].indexOf('FIRMATA'));
    expect(lines[2].indexOf('no:')).toBe(lines[0].indexOf('FIRMATA'));
  });

  it('--json: one object per port, every field present, the probe answer under firmata', async () => {
    const io = captureOutput();
    const code = await portsCommand(['--json', '--timeout', '2.5'], { lister: bench.lister, probe: bench.probe });
    expect(code).toBe(0);
    expect(io.err()).toBe('');
    expect(JSON.parse(io.out())).toEqual([
      {
        path: '/dev/ttyACM0',
        vendorId: '2341',
        productId: '0043',
        manufacturer: 'Arduino (www.arduino.cc)',
        serialNumber: '85736323838351F0E1C1',
        pnpId: 'usb-Arduino__www.arduino.cc__0043_85736323838351F0E1C1-if00',
        locationId: null,
        firmata: { answers: true, protocolVersion: '2.4', firmware: 'StandardFirmata.ino', firmwareVersion: '2.4' },
      },
      {
        path: '/dev/ttyUSB0',
        vendorId: '1a86',
        productId: '7523',
        manufacturer: '1a86',
        serialNumber: null,
        pnpId: null,
        locationId: null,
        firmata: { answers: false, reason: 'no Firmata version report within 2.5 s' },
      },
    ]);
  });

  it('--no-probe lists without opening any port', async () => {
    const io = captureOutput();
    expect(await portsCommand(['--no-probe'], { lister: bench.lister, probe: notCalled })).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PATH\s+VID\s+PID\s+MANUFACTURER\s+SERIAL$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['/dev/ttyACM0', '/dev/ttyUSB0']);
    const json = captureOutput();
    expect(await portsCommand(['--no-probe', '--json'], { lister: bench.lister, probe: notCalled })).toBe(0);
    expect(JSON.parse(json.out()).map((p: { firmata: unknown }) => p.firmata)).toEqual([null, null]);
  });
});

describe('spintrain ports when listing fails', () => {
  const failing = {
    list: async (): Promise<PortInfo[]> => {
      throw new PortListError('node-serialport: spawn udevadm ENOENT; /sys/class/tty: EACCES: permission denied');
    },
  };

  it('says so on stderr, prints an empty list, exits 0', async () => {
    const io = captureOutput();
    expect(await portsCommand([], { lister: failing, probe: notCalled })).toBe(0);
    expect(io.err()).toBe('spintrain ports: cannot list serial ports: node-serialport: spawn udevadm ENOENT; /sys/class/tty: EACCES: permission denied\n');
    expect(io.out()).toBe('no serial ports found\n');
  });

  it('--json prints [] (any error a lister throws is reported the same way)', async () => {
    const io = captureOutput();
    const code = await portsCommand(['--json'], {
      lister: {
        list: async () => {
          throw new Error('Permission denied, cannot open /dev');
        },
      },
      probe: notCalled,
    });
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toEqual([]);
    expect(io.err()).toBe('spintrain ports: cannot list serial ports: Permission denied, cannot open /dev\n');
  });

  it('no ports listed: an empty list, nothing on stderr', async () => {
    const io = captureOutput();
    expect(await portsCommand(['--json'], { lister: { list: async () => [] }, probe: notCalled })).toBe(0);
    expect(io.out()).toBe('[]\n');
    expect(io.err()).toBe('');
  });
});

describe('spintrain ports options', () => {
  it.each([
    [['--timeout', '0'], '--timeout: expected a number in 0.1..60, got "0"'],
    [['--timeout', 'soon'], '--timeout: expected a number in 0.1..60, got "soon"'],
    [['--timeout'], '--timeout: expected a value'],
    [['--json=yes'], '--json: is a flag and takes no value'],
    [['--json', '--json'], '--json: given more than once'],
    [['--port', '/dev/ttyACM0'], '--port: unknown option'],
    [['ttyACM0'], '"ttyACM0": unexpected argument'],
    [['--no-probe', '--timeout', '2'], '--timeout: has no use with --no-probe'],
    [['--no-probe', '--board', 'uno'], '--board: has no use with --no-probe'],
    [['--board', 'esp32'], '--board: expected one of uno, uno-spintrain, got "esp32"'],
  ])('%j → exit 2 naming the option', async (argv, message) => {
    const io = captureOutput();
    expect(await portsCommand(argv, { lister: { list: async () => [] }, probe: notCalled })).toBe(2);
    expect(io.err()).toContain(`spintrain ports: ${message}`);
    expect(io.err()).toContain('see: spintrain ports --help');
    expect(io.out()).toBe('');
  });

  it('defaults', () => {
    expect(parsePortsArgs([])).toEqual({ json: false, timeoutS: 5, probe: true, baud: 57600 });
    expect(PORTS_USAGE).toMatch(/^usage: spintrain ports /);
    for (const o of ['--json', '--timeout', '--no-probe', '--board']) expect(PORTS_USAGE).toContain(o);
  });

  it('--board: the probe opens each port at that board\'s baud rate', async () => {
    expect(parsePortsArgs(['--board', 'uno-spintrain']).baud).toBe(250000);
    const asked: (number | undefined)[] = [];
    const probe: FirmataProbe = { probe: async (_path, o) => (asked.push(o?.baud), { answers: false, reason: 'silent' }) };
    const io = captureOutput();
    expect(await portsCommand(['--board', 'uno-spintrain', '--json'], { lister: { list: async () => [UNO] }, probe })).toBe(0);
    expect(asked).toEqual([250000]);
    expect(JSON.parse(io.out())[0].firmata).toEqual({ answers: false, reason: 'silent' });
  });
});

describe('spintrain ports with the real lister of this machine', () => {
  it('runs and exits 0 (listed or not: a listing failure is a line on stderr)', async () => {
    const io = captureOutput();
    expect(await portsCommand(['--no-probe', '--json'])).toBe(0);
    const ports = JSON.parse(io.out());
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(typeof p.path).toBe('string');
    expect(io.err()).toMatch(/^(|spintrain ports: cannot list serial ports: .+\n)$/);
  });
});
