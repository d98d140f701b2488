/**
 * Which energy table prices a run's op counters in the report, and labels that say so truthfully
 * (issue 13: a PC run with prng draws was labelled "board (energy table): Arduino Uno R3").
 *
 * Rule: a run that ran on a board — draws from a serial-port device, or a power measurement (power.json)
 * — is priced with that board profile's energyPj (boards/*.ts); every other run (prng or host draws, the
 * simulated MTJ array) ran on the PC and is priced with the model's default table HOROWITZ_45NM
 * (host/energy/energy-table.ts: 45 nm CMOS, Horowitz ISSCC 2014, plus SOT-MTJ estimates). run.json's
 * boardId then only names the default board, which prices nothing. A board id no profile knows is priced
 * with the default table too, and the label says so.
 */
import { findBoard } from '../../boards/index.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { HOROWITZ_45NM, validateEnergyTable, type EnergyTable } from '../energy/energy-table.ts';
import type { RunRecord } from './run-dir.ts';

export const DEFAULT_TABLE_NAME = '45 nm CMOS (Horowitz, ISSCC 2014) with SOT-MTJ estimates';

/** Where the draws of a run came from, as the report tells it. */
export type RunHost =
  | { kind: 'pc'; draws: 'prng' | 'host' | 'sim' }
  /** A board: on a serial-port device (`port` = config.device) or measured by `spintrain power` (port of power.json). */
  | { kind: 'board'; port: string; board?: BoardProfile };

export interface ReportEnergyTable {
  /** The table the estimate uses [pJ per operation]. */
  table: EnergyTable;
  /** Short name for chart titles, e.g. "45 nm default table" or "arduino-uno table". */
  short: string;
  /** The configuration table's "energy table" row. */
  label: string;
  /** The configuration table's "board" row. */
  board: string;
}

/** Where the run trained: a board when measured on one (`measuredPort`) or when config.device is a port path. */
export function runHost(run: RunRecord, measuredPort?: string): RunHost {
  const device = run.config.device;
  const board = knownBoard(run.boardId);
  if (measuredPort !== undefined) return { kind: 'board', port: measuredPort, board };
  if (device === undefined || device === 'prng') return { kind: 'pc', draws: 'prng' };
  if (device === 'host' || device === 'sim') return { kind: 'pc', draws: device };
  return { kind: 'board', port: device, board };
}

export function reportEnergyTable(host: RunHost, boardId: string): ReportEnergyTable {
  if (host.kind === 'pc') {
    // 'host': draws handed in by a program embedding the trainer; which hardware made them is not recorded.
    const none = host.draws === 'host' ? 'the run recorded no board' : 'the run used no board';
    return { table: HOROWITZ_45NM, short: '45 nm default table', label: `${DEFAULT_TABLE_NAME} — the default: ${none}`, board: host.draws === 'host' ? 'none recorded (trained on the PC)' : 'none (trained on the PC)' };
  }
  if (!host.board) {
    return { table: HOROWITZ_45NM, short: '45 nm default table', label: `${DEFAULT_TABLE_NAME} — the default: board "${boardId}" has no known profile`, board: `"${boardId}" on ${host.port}` };
  }
  const same = sameTable(host.board.energyPj, HOROWITZ_45NM);
  return {
    table: host.board.energyPj,
    short: `${host.board.id} table`,
    label: `${host.board.name} profile’s table${same ? ` (= ${DEFAULT_TABLE_NAME})` : ''}`,
    board: `${host.board.name} on ${host.port}`,
  };
}

function knownBoard(id: string): BoardProfile | undefined {
  try {
    return findBoard(id);
  } catch {
    return undefined;
  }
}

/** True when both tables, optional fields resolved, hold the same energies. */
function sameTable(a: EnergyTable, b: EnergyTable): boolean {
  const x = validateEnergyTable(a) as unknown as Record<string, number>;
  const y = validateEnergyTable(b) as unknown as Record<string, number>;
  return Object.keys(y).every((k) => x[k] === y[k]);
}
