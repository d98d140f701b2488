/**
 * A survey of the serial ports (each listed port, probed for Firmata in parallel) and "the single Firmata
 * board": the path of the one listed port that answers Firmata, or a typed error naming the candidates.
 *
 *   const path = await findFirmataBoard();   // e.g. for `--device auto`
 */
import { DEFAULT_PROBE_TIMEOUT_S, createFirmataProbe, type FirmataAnswer, type FirmataProbe } from './firmata-probe.ts';
import { MtjDeviceError } from './errors.ts';
import { PortListError, naturalCompare, serialPortLister, type PortInfo, type PortLister } from './port-list.ts';

/** A listed port and its probe's answer (null: not probed). */
export interface PortReport extends PortInfo {
  firmata: FirmataAnswer | null;
}

export interface PortSurvey {
  /** The listed ports in natural path order (empty when listing failed). */
  ports: PortReport[];
  /** Why listing failed, if it did. */
  listError?: PortListError;
}

export interface SurveyOptions {
  /** Default: node-serialport's list (with the Linux /sys fallback). */
  lister?: PortLister;
  /** Default: the node-serialport probe; null lists without opening any port. */
  probe?: FirmataProbe | null;
  /** Seconds each port has to answer. Default 5. */
  timeoutS?: number;
  /** Baud rate the ports are probed at (the board profile's). Default 57600 (StandardFirmata's). */
  baud?: number;
}

/** Lists the ports and probes each (in parallel). Never rejects for a listing failure: see `listError`. */
export async function surveyPorts(options: SurveyOptions = {}): Promise<PortSurvey> {
  const lister = options.lister ?? serialPortLister;
  const probe = options.probe === undefined ? createFirmataProbe() : options.probe;
  let listed: PortInfo[];
  try {
    listed = await lister.list();
  } catch (e) {
    return { ports: [], listError: e instanceof PortListError ? e : new PortListError(String((e as Error)?.message ?? e)) };
  }
  // One report per path (a lister may repeat one), in natural order.
  const byPath = new Map<string, PortInfo>();
  for (const p of listed) if (!byPath.has(p.path)) byPath.set(p.path, p);
  const infos = [...byPath.values()].sort((a, b) => naturalCompare(a.path, b.path));
  const timeoutS = options.timeoutS ?? DEFAULT_PROBE_TIMEOUT_S;
  const answers = await Promise.all(infos.map((p) => (probe ? probe.probe(p.path, { timeoutS, baud: options.baud }) : Promise.resolve(null))));
  return { ports: infos.map((p, i) => ({ ...p, firmata: answers[i] })) };
}

/** One line about a port for messages: "/dev/ttyACM0 (Arduino 2341:0043, StandardFirmata.ino 2.5)". */
export function describePort(p: PortReport): string {
  const what: string[] = [];
  const usb = p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : undefined;
  const who = [p.manufacturer, usb].filter(Boolean).join(' ');
  if (who) what.push(who);
  if (p.firmata?.answers) what.push(firmataText(p.firmata));
  else if (p.firmata) what.push(p.firmata.reason);
  return what.length ? `${p.path} (${what.join(', ')})` : p.path;
}

/** "StandardFirmata.ino 2.5 (protocol 2.5)", or what is known of it. */
export function firmataText(a: Extract<FirmataAnswer, { answers: true }>): string {
  const fw = a.firmware ? `${a.firmware}${a.firmwareVersion ? ` ${a.firmwareVersion}` : ''}` : a.firmwareVersion ? `firmware ${a.firmwareVersion}` : 'Firmata';
  return a.protocolVersion ? `${fw} (protocol ${a.protocolVersion})` : fw;
}

/** No single Firmata board: `candidates` are the ports surveyed (with their answers). */
export class FirmataBoardSearchError extends MtjDeviceError {
  constructor(
    message: string,
    readonly candidates: PortReport[],
  ) {
    super(message);
  }
}

/** No listed port answers Firmata (or none is listed, or listing failed: `listError`). */
export class NoFirmataBoardError extends FirmataBoardSearchError {
  constructor(
    candidates: PortReport[],
    readonly listError?: PortListError,
  ) {
    const why = listError
      ? `${listError.message}`
      : candidates.length === 0
        ? 'no serial ports are listed'
        : candidates.length === 1
          ? `the one listed port does not answer: ${describePort(candidates[0])}`
          : `none of the ${candidates.length} listed ports answers: ${candidates.map(describePort).join('; ')}`;
    super(`no Firmata board found: ${why}. Connect a board running StandardFirmata, or give its port (--device <port>)`, candidates);
  }
}

/** More than one listed port answers Firmata: `boards` are their paths. */
export class SeveralFirmataBoardsError extends FirmataBoardSearchError {
  readonly boards: string[];
  constructor(candidates: PortReport[]) {
    const boards = candidates.filter((p) => p.firmata?.answers);
    super(`${boards.length} Firmata boards found: ${boards.map(describePort).join('; ')}. Give one with --device <port>`, candidates);
    this.boards = boards.map((p) => p.path);
  }
}

/**
 * The path of the single listed port that answers Firmata. Throws NoFirmataBoardError (none answers, none
 * is listed, listing failed) or SeveralFirmataBoardsError (naming each board); both are MtjDeviceErrors.
 */
export async function findFirmataBoard(options: Omit<SurveyOptions, 'probe'> & { probe?: FirmataProbe } = {}): Promise<string> {
  const survey = await surveyPorts({ ...options, probe: options.probe ?? createFirmataProbe() });
  const boards = survey.ports.filter((p) => p.firmata?.answers);
  if (boards.length === 1) return boards[0].path;
  if (boards.length === 0) throw new NoFirmataBoardError(survey.ports, survey.listError);
  throw new SeveralFirmataBoardsError(survey.ports);
}

/** The word that asks for the single Firmata board instead of a port path (--device auto, --port auto). */
export const AUTO_PORT = 'auto';

/**
 * `path` itself, or for "auto" the single listed port that answers Firmata (findFirmataBoard; `find` replaces
 * it in tests). `log` hears which port was found.
 */
export async function resolvePortPath(path: string, opts: { find?: () => Promise<string>; log?: (s: string) => void; baud?: number } = {}): Promise<string> {
  if (path !== AUTO_PORT) return path;
  const found = await (opts.find ?? (() => findFirmataBoard({ baud: opts.baud })))();
  opts.log?.(`found a Firmata board on ${found}`);
  return found;
}
