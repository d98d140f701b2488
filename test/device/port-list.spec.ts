/**
 * Port listing: node-serialport's records normalised; the Linux /sys fallback (on a fake sysfs tree) when
 * node-serialport cannot list (no udevadm, no binding); a PortListError naming every reason when nothing
 * can; and the real lister of this machine, which must run without throwing (it may find no ports).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PortListError,
  createSerialPortLister,
  createSysfsPortLister,
  normalizePortInfo,
  serialPortLister,
  type PortInfo,
} from '../../host/device/port-list.ts';

describe('normalizePortInfo', () => {
  it('keeps known fields as strings, drops empty ones, ids as lowercase 4-digit hex', () => {
    expect(
      normalizePortInfo({
        path: '/dev/tty.usbmodem1101',
        manufacturer: 'Arduino (www.arduino.cc)',
        serialNumber: '',
        vendorId: '0x2341',
        productId: '43',
        pnpId: undefined,
        locationId: '14100000',
        extra: 'ignored',
      }),
    ).toEqual({ path: '/dev/tty.usbmodem1101', manufacturer: 'Arduino (www.arduino.cc)', vendorId: '2341', productId: '0043', locationId: '14100000' });
    expect(normalizePortInfo({ comName: 'COM3', vendorId: '1A86' })).toEqual({ path: 'COM3', vendorId: '1a86' });
    expect(normalizePortInfo({ manufacturer: 'no path' })).toBeUndefined();
  });
});

describe('createSerialPortLister', () => {
  const fallback = { list: async (): Promise<PortInfo[]> => [{ path: '/dev/ttyACM0', vendorId: '2341' }] };

  it("node-serialport's list, normalised", async () => {
    const lister = createSerialPortLister({
      loadSerialPort: () => ({ list: async () => [{ path: '/dev/ttyUSB0', vendorId: '1A86', productId: '7523', manufacturer: '' }] }),
      fallback,
    });
    expect(await lister.list()).toEqual([{ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' }]);
  });

  it('node-serialport fails (no udevadm, no binding) → the fallback lists', async () => {
    const noUdevadm = createSerialPortLister({ loadSerialPort: () => ({ list: () => Promise.reject(new Error('spawn udevadm ENOENT')) }), fallback });
    expect(await noUdevadm.list()).toEqual([{ path: '/dev/ttyACM0', vendorId: '2341' }]);
    const noBinding = createSerialPortLister({
      loadSerialPort: () => {
        throw new Error('Could not locate the bindings file.');
      },
      fallback,
    });
    expect(await noBinding.list()).toEqual([{ path: '/dev/ttyACM0', vendorId: '2341' }]);
  });

  it('both fail → PortListError naming both reasons; no fallback → the one reason', async () => {
    const load = () => ({ list: () => Promise.reject(new Error('spawn udevadm ENOENT')) });
    const both = createSerialPortLister({ loadSerialPort: load, fallback: createSysfsPortLister({ sysRoot: '/nonexistent-spintrain-sys' }) });
    const err = await both.list().catch((e) => e);
    expect(err).toBeInstanceOf(PortListError);
    expect(err.message).toMatch(/^cannot list serial ports: node-serialport: spawn udevadm ENOENT; \/nonexistent-spintrain-sys\/class\/tty: ENOENT/);
    const alone = createSerialPortLister({ loadSerialPort: load, fallback: null });
    await expect(alone.list()).rejects.toThrow(/^cannot list serial ports: node-serialport: spawn udevadm ENOENT$/);
  });
});

describe('createSysfsPortLister on a fake /sys and /dev', () => {
  const root = mkdtempSync(join(tmpdir(), 'spintrain-sysfs-'));
  const sys = join(root, 'sys');
  const dev = join(root, 'dev');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const file = (path: string, text = '') => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  const link = (target: string, path: string) => {
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path);
  };
  // An Uno on USB: its tty's device is the CDC ACM interface, below the USB device holding the ids.
  const usb = join(sys, 'devices/pci0000:00/0000:00:14.0/usb1/1-2');
  file(join(usb, 'idVendor'), '2341\n');
  file(join(usb, 'idProduct'), '0043\n');
  file(join(usb, 'manufacturer'), 'Arduino (www.arduino.cc)\n');
  file(join(usb, 'serial'), '85736323838351F0E1C1\n');
  mkdirSync(join(usb, '1-2:1.0'), { recursive: true });
  link(join(usb, '1-2:1.0'), join(sys, 'class/tty/ttyACM0/device'));
  file(join(dev, 'ttyACM0'));
  link('../../ttyACM0', join(dev, 'serial/by-id/usb-Arduino__www.arduino.cc__0043_85736323838351F0E1C1-if00'));
  // A CH340 without a serial number, on ttyUSB10 and ttyUSB2 (natural order).
  const ch340 = join(sys, 'devices/pci0000:00/0000:00:14.0/usb1/1-3');
  file(join(ch340, 'idVendor'), '1A86\n');
  file(join(ch340, 'idProduct'), '7523\n');
  mkdirSync(join(ch340, '1-3:1.0/ttyUSB10'), { recursive: true });
  mkdirSync(join(ch340, '1-3:1.0/ttyUSB2'), { recursive: true });
  link(join(ch340, '1-3:1.0/ttyUSB10'), join(sys, 'class/tty/ttyUSB10/device'));
  link(join(ch340, '1-3:1.0/ttyUSB2'), join(sys, 'class/tty/ttyUSB2/device'));
  file(join(dev, 'ttyUSB10'));
  file(join(dev, 'ttyUSB2'));
  // A motherboard UART (type 4: 16550A), and an empty 8250 slot (type 0).
  mkdirSync(join(sys, 'devices/pnp0/00:00'), { recursive: true });
  link(join(sys, 'devices/pnp0/00:00'), join(sys, 'class/tty/ttyS0/device'));
  file(join(sys, 'class/tty/ttyS0/type'), '4\n');
  file(join(dev, 'ttyS0'));
  mkdirSync(join(sys, 'devices/platform/serial8250'), { recursive: true });
  link(join(sys, 'devices/platform/serial8250'), join(sys, 'class/tty/ttyS1/device'));
  file(join(sys, 'class/tty/ttyS1/type'), '0\n');
  file(join(dev, 'ttyS1'));
  // A virtual console (no device), a port with no /dev node (another namespace), and a pty.
  mkdirSync(join(sys, 'class/tty/tty1'), { recursive: true });
  file(join(dev, 'tty1'));
  mkdirSync(join(usb, '1-2:1.2'), { recursive: true });
  link(join(usb, '1-2:1.2'), join(sys, 'class/tty/ttyACM1/device'));
  mkdirSync(join(sys, 'class/tty/ptmx'), { recursive: true });

  it('lists the serial ports with hardware behind them, USB ids from the USB device, by-id as pnpId', async () => {
    expect(await createSysfsPortLister({ sysRoot: sys, devDir: dev }).list()).toEqual([
      {
        path: join(dev, 'ttyACM0'),
        manufacturer: 'Arduino (www.arduino.cc)',
        serialNumber: '85736323838351F0E1C1',
        vendorId: '2341',
        productId: '0043',
        pnpId: 'usb-Arduino__www.arduino.cc__0043_85736323838351F0E1C1-if00',
      },
      { path: join(dev, 'ttyS0') },
      { path: join(dev, 'ttyUSB2'), vendorId: '1a86', productId: '7523' },
      { path: join(dev, 'ttyUSB10'), vendorId: '1a86', productId: '7523' },
    ]);
  });

  it('no /sys/class/tty → PortListError', async () => {
    await expect(createSysfsPortLister({ sysRoot: join(root, 'none') }).list()).rejects.toBeInstanceOf(PortListError);
  });
});

describe('the real lister of this machine', () => {
  it('runs without throwing (it may find no ports)', async () => {
    const ports = await serialPortLister.list();
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) {
      expect(typeof p.path).toBe('string');
      for (const k of ['vendorId', 'productId'] as const) if (p[k] !== undefined) expect(typeof p[k]).toBe('string');
    }
  });
});
