/**
 * The HIL rig runs in emulated time only: the board resets when a link opens (as an Uno does), the Firmata
 * handshake waits on the emulated clock, the receiver keeps what the ATmega328P keeps, and a run depends on
 * its seed, never on the speed of the machine that emulates it.
 */
import { describe, expect, it } from 'vitest';
import { usart0Config } from 'avr8js';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { EmulatedSerialPort } from '../harness/uno/emulated-serial-port.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';

/** Samples near the junctions' I50 (0.94–0.98 mA for seed 33); returns the bits and the emulated cycles the run took. */
async function sampleRun(slowHost: boolean): Promise<{ bits: number[]; cycles: number }> {
  const hil = await startEmulatedUno({ seed: 33 });
  try {
    if (slowHost) {
      // A slow or loaded machine: every chunk of board output costs the host 2 ms of wall time.
      hil.port.on('data', () => {
        const t = performance.now();
        while (performance.now() - t < 2);
      });
    }
    const mtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
    await mtj.open();
    const bits: number[] = [];
    for (let i = 0; i < 30; i++) {
      const out = await mtj.sample([0, 1, 2, 3].map((device) => ({ device, currentA: 0.96e-3 })));
      bits.push(...out);
    }
    await mtj.close();
    return { bits, cycles: hil.emulator.cpu.cycles };
  } finally {
    hil.stop();
  }
}

describe('HIL in emulated time', () => {
  it('same seed → same draws and the same emulated cycle count, on a fast or a slow host', async () => {
    const fast = await sampleRun(false);
    const slow = await sampleRun(true);
    expect(fast.bits.some((b) => b === 1) && fast.bits.some((b) => b === 0)).toBe(true);
    expect(slow.bits).toEqual(fast.bits);
    expect(slow.cycles).toBe(fast.cycles);
  });

  it('a board that does not reset on open: the link asks for the version on the emulated clock', async () => {
    const hil = await startEmulatedUno({ seed: 3 });
    try {
      const first = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
      await first.open(); // boots the board through the resetting link
      await first.close();
      const t0 = hil.emulator.timeS;
      const port = new EmulatedSerialPort(hil.emulator, { path: 'emulated:no-reset', resetOnOpen: false });
      const mtj = new J5Mtj({ profile: hil.profile, port, clock: hil.clock });
      await mtj.open();
      // Nothing announced a version: the query went out after 2 s of emulated time.
      expect(hil.emulator.timeS - t0).toBeGreaterThanOrEqual(2);
      const bits = await mtj.sample([{ device: 0, currentA: 2e-3 }]);
      expect(bits[0]).toBe(1);
      await mtj.close();
    } finally {
      hil.stop();
    }
  });

  it('the receiver holds three unread characters (two-level FIFO + shift register); a fourth overruns the waiting one', async () => {
    // A program that only spins (rjmp .-2) and never reads UDR0; the receiver is enabled from outside.
    const hil = await startEmulatedUno({ hex: ':02000000FFCF30\n:00000001FF\n', path: 'emulated:spin' });
    try {
      const { cpu } = hil.emulator;
      cpu.writeData(usart0Config.UCSRB, 0x10); // RXEN0
      hil.emulator.serialIn([10, 11, 12]);
      hil.emulator.runFor(1e-3);
      expect(hil.emulator.rxOverruns).toBe(0);
      hil.emulator.serialIn([13, 14]);
      hil.emulator.runFor(1e-3);
      expect(hil.emulator.rxOverruns).toBe(2);
      const read = [0, 1, 2].map(() => cpu.readData(usart0Config.UDR));
      expect(read).toEqual([10, 11, 14]);
      expect(cpu.data[usart0Config.UCSRA] & 0x80).toBe(0); // RXC0 clear: nothing left
    } finally {
      hil.stop();
    }
  });
});
