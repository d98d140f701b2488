/**
 * node-serialport is optional (its native binding may not install): loading it either gives the module or
 * a SerialSupportError naming why, which the CLI reports as exit 1. The install without it is tested from
 * the tarball in test/cli/package.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { MtjDeviceError, SerialSupportError } from '../../host/device/errors.ts';
import { loadSerialPort, type SerialPortModule } from '../../host/device/serial-port-module.ts';

describe('loadSerialPort', () => {
  it('a binding that fails to load → SerialSupportError with the first line of the reason and what to do', () => {
    const err = (() => {
      try {
        loadSerialPort(() => {
          throw new Error("Cannot find module 'serialport'\nRequire stack:\n- /x/build/cli/chunks/a.js");
        });
      } catch (e) {
        return e as SerialSupportError;
      }
    })();
    expect(err).toBeInstanceOf(SerialSupportError);
    expect(err).toBeInstanceOf(MtjDeviceError);
    expect(err!.reason).toBe("Cannot find module 'serialport'");
    expect(err!.message).toMatch(/^serial ports are not available: node-serialport .* did not load: Cannot find module 'serialport'\. Reinstall .*--device sim$/);
  });

  it('here, where npm ci installed it: the module, with its list()', () => {
    const m: SerialPortModule = loadSerialPort();
    expect(typeof m).toBe('function');
    expect(typeof m.list).toBe('function');
    expect(loadSerialPort()).toBe(m); // loaded once
  });
});
