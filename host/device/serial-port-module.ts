/**
 * node-serialport, loaded on first use. It is spintrain's only native dependency and an optional one:
 * installs where its binding cannot be built still train, simulate and deploy, and only opening or
 * listing a real port fails, with SerialSupportError naming why. Version 8 (the one johnny-five 2.1 and
 * firmata-io use): `new SerialPort(path, options)`, `SerialPort.list()`.
 */
import { createRequire } from 'node:module';
import { SerialSupportError } from './errors.ts';

/** The parts of node-serialport's module spintrain uses (a constructor with a static list). */
export interface SerialPortModule {
  new (path: string, options: Record<string, unknown>, callback?: (e?: Error | null) => void): unknown;
  list(): Promise<Record<string, unknown>[]>;
}

let loaded: SerialPortModule | undefined;

const requireSerialPort = (): SerialPortModule => createRequire(import.meta.url)('serialport') as SerialPortModule;

/** node-serialport, or SerialSupportError with the first line of why it did not load (`load`: tests). */
export function loadSerialPort(load: () => SerialPortModule = requireSerialPort): SerialPortModule {
  if (load === requireSerialPort && loaded) return loaded;
  try {
    const m = load();
    if (load === requireSerialPort) loaded = m;
    return m;
  } catch (e) {
    throw new SerialSupportError(String((e as Error)?.message ?? e).split('\n')[0]);
  }
}
