/**
 * `spintrain ports [--json] [--timeout S] [--no-probe] [--board NAME]`
 * Lists the serial ports (path, USB vendor and product id, manufacturer, serial number where the OS gives
 * them) and whether each answers Firmata: each port is opened, given --timeout seconds to report its
 * Firmata version (asked for after 2 s), and closed; the ports are probed in parallel, at the baud rate of
 * --board (default the Uno's 57600; arduino-uno-spintrain's firmware talks at 250000). When the ports
 * cannot be listed (no permission, no binding) the reason goes to stderr and the list is empty: exit 0.
 * Returns the process exit code.
 */
import { DEFAULT_PROBE_TIMEOUT_S, type FirmataProbe } from '../device/firmata-probe.ts';
import { firmataText, surveyPorts, type PortReport } from '../device/find-firmata-board.ts';
import type { PortLister } from '../device/port-list.ts';
import { CliError, numberOption } from './errors.ts';
import { portBoardOption } from './device-option.ts';
import { portBoardNames } from '../../boards/index.ts';
import { parseOptions } from './parse-options.ts';

export const PORTS_OPTIONS = { json: { type: 'boolean' }, timeout: { type: 'string' }, 'no-probe': { type: 'boolean' }, board: { type: 'string' } } as const;

export const PORTS_USAGE = `usage: spintrain ports [--json] [--timeout S] [--no-probe] [--board NAME]
  --json                     print a JSON array, one object per port: path, vendorId, productId, manufacturer,
                             serialNumber, pnpId, locationId (null where unknown) and firmata (the probe's answer)
  --timeout S                seconds each port has to answer the Firmata probe, 0.1..60 (default ${DEFAULT_PROBE_TIMEOUT_S})
  --no-probe                 list only, open no port
  --board NAME               probe at this board's baud rate: ${portBoardNames().join(', ')} (default uno)
Probing opens each port (an Arduino Uno resets when its port opens) and may send a Firmata version query.`;

export interface PortsJob {
  json: boolean;
  timeoutS: number;
  probe: boolean;
  /** Baud rate of the probe [bit/s]: the --board profile's. */
  baud: number;
}

/** The lister and probe the command uses (tests inject an emulated board). Defaults: node-serialport. */
export interface PortsDeps {
  lister?: PortLister;
  probe?: FirmataProbe;
}

/** Parses and checks every option (CliError naming it, exit 2); touches no port. */
export function parsePortsArgs(argv: string[]): PortsJob {
  const { values } = parseOptions(argv, PORTS_OPTIONS);
  if (values['no-probe'] && values.timeout !== undefined) throw new CliError('--timeout', 'has no use with --no-probe (no port is opened)');
  if (values['no-probe'] && values.board !== undefined) throw new CliError('--board', 'has no use with --no-probe (no port is opened)');
  const board = portBoardOption(values.board);
  return {
    baud: board.runtime.kind === 'host-tethered' ? board.runtime.baud : 57600,
    json: values.json === true,
    timeoutS: numberOption('--timeout', values.timeout, DEFAULT_PROBE_TIMEOUT_S, 0.1, 60),
    probe: values['no-probe'] !== true,
  };
}

/** Exit codes: 0 listed (also when listing failed: the reason is on stderr); 2 a bad option. */
export async function portsCommand(argv: string[], deps: PortsDeps = {}): Promise<number> {
  let job: PortsJob;
  try {
    job = parsePortsArgs(argv);
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`spintrain ports: ${e.message}\nsee: spintrain ports --help\n`);
      return 2;
    }
    throw e;
  }
  const survey = await surveyPorts({ lister: deps.lister, probe: job.probe ? deps.probe : null, timeoutS: job.timeoutS, baud: job.baud });
  if (survey.listError) process.stderr.write(`spintrain ports: ${survey.listError.message}\n`);
  if (job.json) process.stdout.write(JSON.stringify(survey.ports.map(portJson), null, 2) + '\n');
  else process.stdout.write(portsTable(survey.ports, job.probe));
  return 0;
}

/** A port for --json: every field present (null where unknown). */
export function portJson(p: PortReport): Record<string, unknown> {
  const firmata = p.firmata === null ? null : p.firmata.answers
    ? { answers: true, protocolVersion: p.firmata.protocolVersion ?? null, firmware: p.firmata.firmware ?? null, firmwareVersion: p.firmata.firmwareVersion ?? null }
    : { answers: false, reason: p.firmata.reason };
  return {
    path: p.path,
    vendorId: p.vendorId ?? null,
    productId: p.productId ?? null,
    manufacturer: p.manufacturer ?? null,
    serialNumber: p.serialNumber ?? null,
    pnpId: p.pnpId ?? null,
    locationId: p.locationId ?? null,
    firmata,
  };
}

/** The ports as an aligned table, or a line saying there are none. */
export function portsTable(ports: PortReport[], probed: boolean): string {
  if (ports.length === 0) return 'no serial ports found\n';
  const head = ['PATH', 'VID', 'PID', 'MANUFACTURER', 'SERIAL', ...(probed ? ['FIRMATA'] : [])];
  const rows = ports.map((p) => [
    p.path,
    p.vendorId ?? '-',
    p.productId ?? '-',
    p.manufacturer ?? '-',
    p.serialNumber ?? '-',
    ...(probed ? [p.firmata === null ? '-' : p.firmata.answers ? `yes: ${firmataText(p.firmata)}` : `no: ${p.firmata.reason}`] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ') + '\n';
  return line(head) + rows.map(line).join('');
}
