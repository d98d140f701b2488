/**
 * Serial ports for the ports/finder specs, each backed by its own emulated Uno: `firmata` runs the genuine
 * StandardFirmata (it answers the probe), `silent` a program that only spins (it never answers, so the
 * probe times out on that board's emulated clock). The lister returns the given PortInfo records; the
 * probe opens a fresh EmulatedSerialPort on the board (which resets it, as opening a real Uno's port does).
 */
import { createFirmataProbe, type FirmataProbe } from '../../host/device/firmata-probe.ts';
import type { PortInfo, PortLister } from '../../host/device/port-list.ts';
import { EmulatedSerialPort } from '../harness/uno/emulated-serial-port.ts';
import { startEmulatedUno, type EmulatedUno } from '../harness/uno/emulated-uno.ts';

/** rjmp .-2: a board with firmware that is not Firmata. */
export const SPIN_HEX = ':02000000FFCF30\n:00000001FF\n';

export interface EmulatedPort {
  info: PortInfo;
  firmware: 'firmata' | 'silent';
}

export interface EmulatedPorts {
  lister: PortLister;
  probe: FirmataProbe;
  boards: Map<string, EmulatedUno>;
  /** Paths the probe opened, in order. */
  opened: string[];
  stop(): void;
}

export async function emulatedPorts(ports: EmulatedPort[]): Promise<EmulatedPorts> {
  const boards = new Map<string, EmulatedUno>();
  for (const p of ports) {
    boards.set(p.info.path, await startEmulatedUno(p.firmware === 'firmata' ? { path: p.info.path } : { hex: SPIN_HEX, path: p.info.path }));
  }
  const opened: string[] = [];
  const probe = createFirmataProbe({
    open: (path) => {
      const board = boards.get(path);
      if (!board) throw new Error(`serial port ${path} not found`);
      opened.push(path);
      return { port: new EmulatedSerialPort(board.emulator, { path }), clock: board.clock };
    },
  });
  return {
    lister: { list: async () => ports.map((p) => ({ ...p.info })) },
    probe,
    boards,
    opened,
    stop: () => {
      for (const b of boards.values()) b.stop();
    },
  };
}
