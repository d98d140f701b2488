/**
 * findFirmataBoard: the path of the single listed port that answers Firmata, else a typed error naming the
 * candidates. The boards are emulated Unos (genuine StandardFirmata, or firmware that never answers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MtjDeviceError } from '../../host/device/errors.ts';
import {
  FirmataBoardSearchError,
  NoFirmataBoardError,
  SeveralFirmataBoardsError,
  findFirmataBoard,
  surveyPorts,
  AUTO_PORT,
  resolvePortPath,
} from '../../host/device/find-firmata-board.ts';
import type { FirmataProbe } from '../../host/device/firmata-probe.ts';
import { PortListError } from '../../host/device/port-list.ts';
import { emulatedPorts, type EmulatedPorts } from './emulated-ports.ts';

const TIMEOUT_S = 2.5; // StandardFirmata reports its version ~1.9 s (emulated) after the reset

describe('findFirmataBoard on emulated boards', () => {
  let bench: EmulatedPorts;
  beforeAll(async () => {
    bench = await emulatedPorts([
      { info: { path: '/dev/ttyACM1', vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' }, firmware: 'firmata' },
      { info: { path: '/dev/ttyACM0', vendorId: '2341', productId: '0043', manufacturer: 'Arduino (www.arduino.cc)' }, firmware: 'firmata' },
      { info: { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' }, firmware: 'silent' },
    ]);
  });
  afterAll(() => bench?.stop());

  const only = (...paths: string[]) => ({
    list: async () => (await bench.lister.list()).filter((p) => paths.includes(p.path)),
  });

  it('one board among the ports → its path', async () => {
    const path = await findFirmataBoard({ lister: only('/dev/ttyACM1', '/dev/ttyUSB0'), probe: bench.probe, timeoutS: TIMEOUT_S });
    expect(path).toBe('/dev/ttyACM1');
  });

  it('none answers → NoFirmataBoardError naming each port and why', async () => {
    const err = await findFirmataBoard({ lister: only('/dev/ttyUSB0'), probe: bench.probe, timeoutS: TIMEOUT_S }).catch((e) => e);
    expect(err).toBeInstanceOf(NoFirmataBoardError);
    expect(err).toBeInstanceOf(FirmataBoardSearchError);
    expect(err).toBeInstanceOf(MtjDeviceError);
    expect(err.message).toBe(
      'no Firmata board found: the one listed port does not answer: /dev/ttyUSB0 (1a86:7523, no Firmata version report within 2.5 s). ' +
        'Connect a board running StandardFirmata, or give its port (--device <port>)',
    );
    expect(err.candidates.map((p: { path: string }) => p.path)).toEqual(['/dev/ttyUSB0']);
  });

  it('several answer → SeveralFirmataBoardsError naming each board', async () => {
    const err = await findFirmataBoard({ lister: bench.lister, probe: bench.probe, timeoutS: TIMEOUT_S }).catch((e) => e);
    expect(err).toBeInstanceOf(SeveralFirmataBoardsError);
    expect(err).toBeInstanceOf(FirmataBoardSearchError);
    expect(err.boards).toEqual(['/dev/ttyACM0', '/dev/ttyACM1']);
    expect(err.message).toBe(
      '2 Firmata boards found: ' +
        '/dev/ttyACM0 (Arduino (www.arduino.cc) 2341:0043, StandardFirmata.ino 2.4 (protocol 2.4)); ' +
        '/dev/ttyACM1 (Arduino (www.arduino.cc) 2341:0043, StandardFirmata.ino 2.4 (protocol 2.4)). Give one with --device <port>',
    );
    expect(err.candidates).toHaveLength(3);
  });
});

describe('findFirmataBoard without boards (fake probe)', () => {
  const probe: FirmataProbe = { probe: async (path) => ({ answers: false, reason: `cannot open it: serial port ${path} not found` }) };

  it('no ports listed → NoFirmataBoardError saying so', async () => {
    const err = await findFirmataBoard({ lister: { list: async () => [] }, probe }).catch((e) => e);
    expect(err).toBeInstanceOf(NoFirmataBoardError);
    expect(err.message).toBe('no Firmata board found: no serial ports are listed. Connect a board running StandardFirmata, or give its port (--device <port>)');
    expect(err.candidates).toEqual([]);
  });

  it('listing fails → NoFirmataBoardError carrying the listing error', async () => {
    const listError = new PortListError('spawn udevadm ENOENT');
    const err = await findFirmataBoard({
      lister: {
        list: async () => {
          throw listError;
        },
      },
      probe,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(NoFirmataBoardError);
    expect(err.listError).toBe(listError);
    expect(err.message).toMatch(/^no Firmata board found: cannot list serial ports: spawn udevadm ENOENT\. /);
  });

  it('several silent ports: each named with its reason', async () => {
    const lister = { list: async () => [{ path: '/dev/ttyS0' }, { path: '/dev/ttyACM3', manufacturer: 'Arduino LLC' }] };
    const err = await findFirmataBoard({ lister, probe }).catch((e) => e);
    expect(err.message).toContain(
      'none of the 2 listed ports answers: /dev/ttyACM3 (Arduino LLC, cannot open it: serial port /dev/ttyACM3 not found); /dev/ttyS0 (cannot open it: serial port /dev/ttyS0 not found)',
    );
  });
});

describe('surveyPorts', () => {
  it('one report per path, in natural order, probed in parallel with the timeout', async () => {
    const seen: [string, number | undefined][] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const probe: FirmataProbe = {
      probe: async (path, o) => {
        seen.push([path, o?.timeoutS]);
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return { answers: false, reason: 'silent' };
      },
    };
    const lister = { list: async () => [{ path: '/dev/ttyACM10' }, { path: '/dev/ttyACM2' }, { path: '/dev/ttyACM2', vendorId: '2341' }] };
    const survey = await surveyPorts({ lister, probe, timeoutS: 3 });
    expect(survey.ports.map((p) => p.path)).toEqual(['/dev/ttyACM2', '/dev/ttyACM10']);
    expect(survey.listError).toBeUndefined();
    expect(seen.map(([, t]) => t)).toEqual([3, 3]);
    expect(maxInFlight).toBe(2);
  });

  it('probe null → nothing is opened, firmata is null', async () => {
    const survey = await surveyPorts({ lister: { list: async () => [{ path: '/dev/ttyS0' }] }, probe: null });
    expect(survey.ports).toEqual([{ path: '/dev/ttyS0', firmata: null }]);
  });

  it('a lister error of another type becomes a PortListError', async () => {
    const survey = await surveyPorts({
      lister: {
        list: async () => {
          throw new Error('EACCES');
        },
      },
      probe: null,
    });
    expect(survey.ports).toEqual([]);
    expect(survey.listError).toBeInstanceOf(PortListError);
    expect(survey.listError!.message).toBe('cannot list serial ports: EACCES');
  });
});

describe('resolvePortPath (--device auto, --port auto)', () => {
  it('a path is itself; "auto" is the port the finder returns, and the log names it', async () => {
    const heard: string[] = [];
    expect(await resolvePortPath('/dev/ttyACM3', { find: async () => '/dev/never' })).toBe('/dev/ttyACM3');
    expect(await resolvePortPath(AUTO_PORT, { find: async () => '/dev/ttyACM1', log: (s) => heard.push(s) })).toBe('/dev/ttyACM1');
    expect(heard).toEqual(['found a Firmata board on /dev/ttyACM1']);
    await expect(resolvePortPath(AUTO_PORT, { find: async () => Promise.reject(new NoFirmataBoardError([])) })).rejects.toThrow('no Firmata board found: no serial ports are listed');
  });
});
