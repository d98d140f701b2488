/**
 * `spintrain flash`: writes spintrain's own firmware (boards/firmware/<board.flash.firmware>/) to a board
 * with Debian's avrdude, which talks to the board's bootloader over its serial port (the Uno: optiboot,
 * STK500v1 at 115200 baud, `-c arduino`). Everything is checked before the port is touched (planFlash):
 *   - the board has a FlashSpec (boards/*.ts `flash`), else FlashError naming it;
 *   - the image: --hex FILE, or the firmware built from source (uno-firmware.ts, cached), decoded as Intel
 *     HEX (checksums, the file and line named) and no larger than the sketch flash;
 *   - the port's USB ids, when the port list knows them, are one of the board's (a Leonardo or a Nano 33
 *     on that port is refused, naming its ids); avrdude checks the MCU's signature again before writing;
 *   - avrdude is on PATH.
 * A dry run stops there and reports the plan (the exact avrdude command); it needs no board.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BoardProfile, FlashSpec } from '../../boards/board-profile.ts';
import { decodeIntelHex, type FlashImage } from '../io/intel-hex.ts';
import { serialPortLister, type PortInfo, type PortLister } from '../device/port-list.ts';
import { FlashError } from './errors.ts';
import { findSystemCommand } from './system-command.ts';
import { buildUnoFirmware } from './uno-firmware.ts';

export interface FlashRequest {
  board: BoardProfile;
  /** The serial port; may be absent for a dry run. */
  port?: string;
  /** An Intel HEX to write instead of the firmware built from source. */
  hexFile?: string;
  /** Lists the ports for the USB id check (tests: emulated ports; default node-serialport's list). */
  lister?: PortLister;
  /** Finds avrdude (default: PATH, outside node_modules). */
  findAvrdude?: () => string | undefined;
}

export interface FlashPlan {
  board: BoardProfile;
  spec: FlashSpec;
  hexFile: string;
  image: FlashImage;
  /** How the image was obtained. */
  source: 'built from source' | 'built from source (cached)' | 'given';
  port?: string;
  /** What the port list says of the port (absent: not listed, or the list failed). */
  portInfo?: PortInfo;
  /** Why the USB ids were not checked, when they were not. */
  usbNote?: string;
  avrdude: string;
  /** avrdude's arguments (with -P <port> when a port is given). */
  args: string[];
}

export async function planFlash(req: FlashRequest): Promise<FlashPlan> {
  const { board } = req;
  const spec = board.flash ?? fail(`board ${board.id} has no spintrain firmware to flash (it runs the WebAssembly module itself: use spintrain build)`);
  let hexFile: string;
  let source: FlashPlan['source'] = 'given';
  let text: string;
  if (req.hexFile !== undefined) {
    hexFile = req.hexFile;
    try {
      text = readFileSync(hexFile, 'utf8');
    } catch (e) {
      return fail(`${hexFile}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else {
    // The firmware's link speed is the profile's (runtime.baud of a host-tethered board).
    const fw = await buildUnoFirmware({ baud: board.runtime.kind === 'host-tethered' ? board.runtime.baud : undefined });
    hexFile = fw.hexPath;
    text = fw.hex;
    source = fw.cached ? 'built from source (cached)' : 'built from source';
  }
  const image = decodeIntelHex(text, hexFile, 32768);
  if (image.bytes.length > spec.sketchFlashBytes) {
    fail(`${hexFile}: the image ends at byte ${image.bytes.length}, past the ${spec.sketchFlashBytes} bytes a sketch may use on ${board.name} (the bootloader holds the rest)`);
  }
  let portInfo: PortInfo | undefined;
  let usbNote: string | undefined;
  if (req.port !== undefined) {
    try {
      portInfo = (await (req.lister ?? serialPortLister).list()).find((p) => p.path === req.port);
      if (!portInfo) usbNote = 'the port is not in the port list';
    } catch (e) {
      usbNote = `the ports could not be listed (${(e as Error).message})`;
    }
    if (portInfo?.vendorId && portInfo.productId) {
      const id = `${portInfo.vendorId}:${portInfo.productId}`.toLowerCase();
      if (!spec.usbIds.includes(id)) {
        fail(`${req.port} is a USB device ${id}${portInfo.manufacturer ? ` (${portInfo.manufacturer})` : ''}, not ${board.name}: expected one of ${spec.usbIds.join(', ')}; nothing was written`);
      }
    } else if (portInfo) usbNote = 'the port list gives no USB ids for it';
  }
  const avrdude = (req.findAvrdude ?? (() => findSystemCommand('avrdude')))() ?? fail('avrdude not found on PATH (apt-get install avrdude)');
  const args = ['-p', spec.avrdudePart, '-c', spec.programmer, ...(req.port !== undefined ? ['-P', req.port] : []), '-b', String(spec.baud), '-D', '-U', `flash:w:${hexFile}:i`];
  return { board, spec, hexFile, image, source, port: req.port, portInfo, usbNote, avrdude, args };
}

export interface FlashResult {
  /** avrdude's report (stderr), for the log. */
  log: string;
}

/**
 * Runs avrdude on the plan's port. avrdude bounds its own waits (10 sync attempts); a failure is a
 * FlashError naming the port and avrdude's reason (a wrong MCU signature, no answer, a verify error).
 */
export function runFlash(plan: FlashPlan, onOutput?: (chunk: string) => void): Promise<FlashResult> {
  if (plan.port === undefined) return Promise.reject(new FlashError('no port to flash (--port)'));
  return new Promise((resolve, reject) => {
    let log = '';
    const child = execFile(plan.avrdude, plan.args, { maxBuffer: 1 << 24 }, (err) => {
      if (!err) return resolve({ log });
      reject(new FlashError(`avrdude failed on ${plan.port}: ${avrdudeReason(log) ?? (err as Error).message}; the board keeps its old firmware unless avrdude reported a partial write`));
    });
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      onOutput?.(d.toString());
    });
  });
}

/** The line of avrdude's report that says why it failed. */
export function avrdudeReason(log: string): string | undefined {
  const lines = log.split('\n').map((l) => l.trim());
  const sig = lines.find((l) => /expected signature/i.test(l));
  if (sig) return `the board is not the expected MCU (${sig.replace(/^avrdude( error)?:\s*/, '')})`;
  const sync = lines.filter((l) => /not in sync|not responding|unable to open/i.test(l)).pop();
  if (sync) return `no bootloader answered (${sync.replace(/^avrdude( error| warning)?:\s*/, '')}); press reset or check the port`;
  const error = lines.filter((l) => /error/i.test(l)).pop();
  return error?.replace(/^avrdude( error)?:\s*/, '');
}

function fail(message: string): never {
  throw new FlashError(message);
}
