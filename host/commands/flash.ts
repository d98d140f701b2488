/**
 * `spintrain flash [--board uno] --port P [--hex FILE] [--dry-run] [--json]`
 * Writes spintrain's own Uno firmware (Firmata-compatible, with on-board MTJ sampling; boards/firmware/uno)
 * through the board's bootloader with avrdude (host/deploy/flash-board.ts). The image is built from source
 * the first time (Debian's gcc-avr, avr-libc, arduino-core-avr; cached) unless --hex gives one. Everything
 * is checked before the port is opened; --dry-run stops there and needs no board. Returns the exit code.
 */
import { BOARDS, lookupBoard } from '../../boards/index.ts';
import type { PortLister } from '../device/port-list.ts';
import { planFlash, runFlash, type FlashPlan } from '../deploy/flash-board.ts';
import { CliError } from './errors.ts';
import { parseOptions, pathOption } from './parse-options.ts';

export const FLASH_OPTIONS = { board: { type: 'string' }, port: { type: 'string' }, hex: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } } as const;

const flashable = (): string[] => BOARDS.filter((b) => b.flash).map((b) => b.id);

export const FLASH_USAGE = `usage: spintrain flash [--board NAME] --port P [--hex FILE] [--dry-run] [--json]
  --board NAME               the board on the port (default uno; boards with spintrain firmware: ${flashable().join(', ')})
  --port P                   its serial port (the board's bootloader answers there after the reset avrdude makes)
  --hex FILE                 write this Intel HEX instead of the firmware built from boards/firmware/uno
                             (the build needs gcc-avr, avr-libc and arduino-core-avr; cached after the first time)
  --dry-run                  check everything (board, image, size, the port's USB ids, avrdude) and print the
                             avrdude command; open no port (--port may be left out)
  --json                     print one JSON object (board, hex, bytes, port, command, dryRun)
Needs Debian's avrdude. avrdude reads the MCU's signature before writing and refuses another MCU.`;

export interface FlashDeps {
  lister?: PortLister;
  findAvrdude?: () => string | undefined;
}

export async function flashCommand(argv: string[], deps: FlashDeps = {}): Promise<number> {
  const { values } = parseOptions(argv, FLASH_OPTIONS);
  const name = values.board ?? 'uno';
  const board = lookupBoard(name) ?? (() => {
    throw new CliError('--board', `unknown board "${name}": boards with spintrain firmware: ${flashable().join(', ')}`);
  })();
  if (!board.flash) throw new CliError('--board', `${board.id} has no spintrain firmware to flash (it runs the WebAssembly module itself: use spintrain build); boards with one: ${flashable().join(', ')}`);
  const dryRun = values['dry-run'] ?? false;
  if (values.port !== undefined && values.port.trim() === '') throw new CliError('--port', 'expected the path of a serial port, got ""');
  if (values.port === undefined && !dryRun) throw new CliError('--port', 'is required (or --dry-run to check without a board)');
  const hexFile = pathOption('--hex', values.hex);
  const plan = await planFlash({ board, port: values.port, hexFile, lister: deps.lister, findAvrdude: deps.findAvrdude });
  const json = values.json ?? false;
  const say = (s: string): void => {
    if (!json) process.stdout.write(s + '\n');
  };
  say(`${plan.board.name}: ${plan.image.dataBytes} bytes of firmware (${plan.hexFile}, ${plan.source}), ${plan.spec.sketchFlashBytes} available`);
  if (plan.port !== undefined) say(plan.portInfo?.vendorId ? `port ${plan.port}: USB ${plan.portInfo.vendorId}:${plan.portInfo.productId}${plan.portInfo.manufacturer ? ` (${plan.portInfo.manufacturer})` : ''}` : `port ${plan.port}: USB ids not checked (${plan.usbNote}); avrdude checks the MCU's signature`);
  say(`${dryRun ? 'would run' : 'running'}: ${commandLine(plan)}`);
  if (!dryRun) {
    await runFlash(plan, json ? undefined : (chunk) => process.stderr.write(chunk));
    say(`flashed ${plan.port}: spintrain firmware written and verified by avrdude`);
  }
  if (json) {
    process.stdout.write(JSON.stringify({ board: plan.board.id, hex: plan.hexFile, bytes: plan.image.dataBytes, port: plan.port ?? null, command: [plan.avrdude, ...plan.args], dryRun, written: !dryRun }) + '\n');
  }
  return 0;
}

function commandLine(plan: FlashPlan): string {
  return [plan.avrdude, ...plan.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}
