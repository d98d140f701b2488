/**
 * Serial port listing, node-serialport style: a `PortLister` returns `PortInfo` records (path, and the USB
 * vendor id, product id, manufacturer and serial number where the OS gives them).
 *
 * The real lister is node-serialport's `SerialPort.list()` (serialport 8, installed with johnny-five),
 * loaded lazily so that importing this module costs nothing. On Linux that list runs `udevadm info -e`;
 * where udevadm is missing (containers, minimal systems) or the native binding did not build, the lister
 * falls back to reading /sys/class/tty (as pyserial's list_ports does), which needs neither.
 * When every way fails, `list()` rejects with a PortListError naming each reason.
 */
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MtjDeviceError } from './errors.ts';
import { loadSerialPort, type SerialPortModule } from './serial-port-module.ts';

/** What is known about one serial port; only `path` is guaranteed. Ids are lowercase hex without 0x. */
export interface PortInfo {
  /** What to open: /dev/ttyACM0, /dev/tty.usbmodem1101, COM3. */
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  /** USB vendor id, 4 hex digits (2341: Arduino). */
  vendorId?: string;
  /** USB product id, 4 hex digits (0043: Uno R3). */
  productId?: string;
  /** Plug-and-play id (Linux: the /dev/serial/by-id name; Windows: the PnP device id). */
  pnpId?: string;
  /** Where it is plugged in (macOS, Windows). */
  locationId?: string;
}

export interface PortLister {
  /** Every serial port the OS lists (possibly none); rejects when it cannot list them. */
  list(): Promise<PortInfo[]>;
}

/** The serial ports could not be listed (no permission, no binding, no udevadm and no /sys). */
export class PortListError extends MtjDeviceError {
  constructor(readonly reason: string) {
    super(`cannot list serial ports: ${reason}`);
  }
}

/** The part of node-serialport's module the lister uses. */
export type SerialPortListModule = Pick<SerialPortModule, 'list'>;

export interface SerialPortListerOptions {
  /** Loads node-serialport (default: serial-port-module.ts, lazily, at the first list()). */
  loadSerialPort?: () => SerialPortListModule;
  /** Used when node-serialport fails; null for none. Default: the /sys lister on Linux, none elsewhere. */
  fallback?: PortLister | null;
}

const errorText = (e: unknown): string => String((e as Error)?.message ?? e).replace(/^Error: /, '');

const HEX_ID = /^(?:0x)?([0-9a-f]{1,4})$/i;

/** A node-serialport record as a PortInfo: strings only, empty fields dropped, ids as lowercase 4-digit hex. */
export function normalizePortInfo(raw: Record<string, unknown>): PortInfo | undefined {
  const text = (v: unknown): string | undefined => {
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    const s = String(v).trim();
    return s === '' ? undefined : s;
  };
  const id = (v: unknown): string | undefined => {
    const s = text(v);
    if (s === undefined) return undefined;
    const m = HEX_ID.exec(s);
    return m ? m[1].toLowerCase().padStart(4, '0') : s;
  };
  // serialport ≤ 7 named the path comName.
  const path = text(raw.path) ?? text(raw.comName);
  if (path === undefined) return undefined;
  const info: PortInfo = { path };
  const fields: [keyof PortInfo, string | undefined][] = [
    ['manufacturer', text(raw.manufacturer)],
    ['serialNumber', text(raw.serialNumber)],
    ['vendorId', id(raw.vendorId)],
    ['productId', id(raw.productId)],
    ['pnpId', text(raw.pnpId)],
    ['locationId', text(raw.locationId)],
  ];
  for (const [k, v] of fields) if (v !== undefined) info[k] = v;
  return info;
}

/** node-serialport's list, with the /sys fallback on Linux. */
export function createSerialPortLister(options: SerialPortListerOptions = {}): PortLister {
  const load = options.loadSerialPort ?? loadSerialPort;
  const fallback = options.fallback !== undefined ? options.fallback : process.platform === 'linux' ? createSysfsPortLister() : null;
  return {
    async list() {
      let primary: unknown;
      try {
        const raw = await load().list();
        return raw.map(normalizePortInfo).filter((p): p is PortInfo => p !== undefined);
      } catch (e) {
        primary = e;
      }
      const why = `node-serialport: ${errorText(primary)}`;
      if (!fallback) throw new PortListError(why);
      try {
        return await fallback.list();
      } catch (e) {
        throw new PortListError(`${why}; ${e instanceof PortListError ? e.reason : errorText(e)}`);
      }
    },
  };
}

/** The lister `spintrain ports` uses. */
export const serialPortLister: PortLister = createSerialPortLister();

/** Serial port names as node-serialport lists them on Linux. */
const SERIAL_NAME = /^(tty(S|WCH|ACM|USB|AMA|MFD|O|XRUSB)|rfcomm)/;

export interface SysfsPortListerOptions {
  /** Root of sysfs (default /sys; a fake tree in tests). */
  sysRoot?: string;
  /** Where the device nodes are (default /dev). */
  devDir?: string;
}

/**
 * Linux serial ports from sysfs: every /sys/class/tty entry named like a serial port that has a device
 * behind it (virtual consoles have none) and a node in /dev; 8250 UART slots with no UART (`type` 0) are
 * skipped. USB ports get idVendor, idProduct, manufacturer and serial from their USB device; pnpId is the
 * /dev/serial/by-id name that links to the node, if any.
 */
export function createSysfsPortLister(options: SysfsPortListerOptions = {}): PortLister {
  const sysRoot = options.sysRoot ?? '/sys';
  const devDir = options.devDir ?? '/dev';
  return {
    async list() {
      const classDir = join(sysRoot, 'class', 'tty');
      let names: string[];
      try {
        names = readdirSync(classDir);
      } catch (e) {
        throw new PortListError(`${classDir}: ${errorText(e)}`);
      }
      const byId = serialLinks(join(devDir, 'serial', 'by-id'));
      const ports: PortInfo[] = [];
      for (const name of names.filter((n) => SERIAL_NAME.test(n)).sort(naturalCompare)) {
        const entry = join(classDir, name);
        const device = realpathOrUndefined(join(entry, 'device'));
        if (!device) continue; // no hardware behind it
        if (name.startsWith('ttyS') && readText(join(entry, 'type')) === '0') continue; // an empty 8250 slot
        const path = join(devDir, name);
        if (!existsSync(path)) continue;
        const info: PortInfo = { path };
        const usb = usbDeviceOf(device, sysRoot);
        if (usb) {
          const put = (key: keyof PortInfo, file: string, hex = false) => {
            const v = readText(join(usb, file));
            if (v) info[key] = hex ? v.toLowerCase() : v;
          };
          put('manufacturer', 'manufacturer');
          put('serialNumber', 'serial');
          put('vendorId', 'idVendor', true);
          put('productId', 'idProduct', true);
        }
        const link = byId.get(realpathOrUndefined(path) ?? path);
        if (link) info.pnpId = link;
        ports.push(info);
      }
      return ports;
    },
  };
}

/** Natural order of port names: ttyACM2 before ttyACM10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function readText(file: string): string | undefined {
  try {
    const s = readFileSync(file, 'utf8').trim();
    return s === '' ? undefined : s;
  } catch {
    return undefined;
  }
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The USB device (the directory with idVendor) above a tty's device, if it is on USB. */
function usbDeviceOf(device: string, sysRoot: string): string | undefined {
  const stop = resolve(sysRoot);
  for (let d = device; d.startsWith(stop) && d !== stop; d = dirname(d)) {
    if (existsSync(join(d, 'idVendor'))) return d;
  }
  return undefined;
}

/** /dev/serial/by-id: the real path of each link's target → the link's name. */
function serialLinks(dir: string): Map<string, string> {
  const links = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return links;
  }
  for (const name of names) {
    try {
      const target = resolve(dir, readlinkSync(join(dir, name)));
      links.set(realpathOrUndefined(target) ?? target, basename(name));
    } catch {
      // not a link: ignore
    }
  }
  return links;
}
