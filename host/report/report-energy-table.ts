/**
 * Which energy table prices a run's op counters in the report, and labels that say so truthfully
 * (issue 13: a PC run with prng draws was labelled "board (energy table): Arduino Uno R3").
 *
 * Rule: a run that ran on a board — draws from a serial-port device, or a power measurement (power.json)
 * — is priced with that board profile's energyPj (boards/*.ts); every other run (prng or host draws, the
 * simulated MTJ array) ran on the PC and is priced with the model's default table HOROWITZ_45NM
 * (host/energy/energy-table.ts: 45 nm CMOS, Horowitz ISSCC 2014, plus SOT-MTJ estimates). run.json's
 * boardId then only names the default board, which prices nothing. The board of a measured run is the one
 * power.json names (the board measured), of a port run the one run.json names. A board id no profile of the
 * registry (boards/index.ts) knows is priced with the default table too, and the page says so: it is never
 * priced with, or labelled as, another board.
 */
import { lookupBoard } from '../../boards/index.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { HOROWITZ_45NM, validateEnergyTable, type EnergyTable } from '../energy/energy-table.ts';
import type { RunRecord } from './run-dir.ts';

export const DEFAULT_TABLE_NAME = '45 nm CMOS (Horowitz, ISSCC 2014) with SOT-MTJ estimates';

/** Where the draws of a run came from, as the report tells it. */
export type RunHost =
  | { kind: 'pc'; draws: 'prng' | 'host' | 'sim' }
  /**
   * A board: on a serial-port device (`port` = config.device) or measured by `spintrain power` (port of power.json);
   * `boardId` as recorded, `board` its profile when the registry knows it.
   */
  | { kind: 'board'; port: string; boardId: string; board?: BoardProfile };

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

/**
 * Where the run trained: the board measured when there is a power measurement (`measured`: power.json's port
 * and board), else a board when config.device is a port path (run.json's board), else the PC.
 */
export function runHost(run: RunRecord, measured?: { port: string; boardId: string }): RunHost {
  const device = run.config.device;
  if (measured !== undefined) return boardHost(measured.port, measured.boardId);
  if (device === undefined || device === 'prng') return { kind: 'pc', draws: 'prng' };
  if (device === 'host' || device === 'sim') return { kind: 'pc', draws: device };
  return boardHost(device, run.boardId);
}

function boardHost(port: string, boardId: string): RunHost {
  return { kind: 'board', port, boardId, board: lookupBoard(boardId) };
}

export function reportEnergyTable(host: RunHost): ReportEnergyTable {
  if (host.kind === 'pc') {
    // 'host': draws handed in by a program embedding the trainer; which hardware made them is not recorded.
    const none = host.draws === 'host' ? 'the run recorded no board' : 'the run used no board';
    return { table: HOROWITZ_45NM, short: '45 nm default table', label: `${DEFAULT_TABLE_NAME} — the default: ${none}`, board: host.draws === 'host' ? 'none recorded (trained on the PC)' : 'none (trained on the PC)' };
  }
  if (!host.board) {
    const id = host.boardId;
    return { table: HOROWITZ_45NM, short: '45 nm default table', label: `${DEFAULT_TABLE_NAME} — the default: board "${id}" has no known profile`, board: `"${id}" on ${host.port}` };
  }
  const same = sameTable(host.board.energyPj, HOROWITZ_45NM);
  return {
    table: host.board.energyPj,
    short: `${host.board.id} table`,
    label: `${host.board.name} profile’s table${same ? ` (= ${DEFAULT_TABLE_NAME})` : ''}`,
    board: `${host.board.name} on ${host.port}`,
  };
}

/** True when both tables, optional fields resolved, hold the same energies. */
function sameTable(a: EnergyTable, b: EnergyTable): boolean {
  const x = validateEnergyTable(a) as unknown as Record<string, number>;
  const y = validateEnergyTable(b) as unknown as Record<string, number>;
  return Object.keys(y).every((k) => x[k] === y[k]);
}
