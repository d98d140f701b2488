/**
 * The emulated MTJ board's write-current estimate (test/harness/uno/emulated-mtj-circuit.ts): the duty of a PWM
 * pin from its edges, and a pin held at a level, driven by a stub board whose pin edges the test places in time.
 */
import { describe, expect, it } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { EmulatedMtjCircuit } from '../harness/uno/emulated-mtj-circuit.ts';
import type { UnoEmulator } from '../harness/uno/uno-emulator.ts';

/** Pins whose level changes when the test says, at the time it says. */
class StubBoard {
  timeS = 0;
  private readonly levels = new Map<number, 0 | 1>();
  private readonly listeners = new Map<number, ((level: 0 | 1, t: number) => void)[]>();
  onPinChange(pin: number, cb: (level: 0 | 1, t: number) => void): () => void {
    this.listeners.set(pin, [...(this.listeners.get(pin) ?? []), cb]);
    return () => undefined;
  }
  pinLevel(pin: number): 0 | 1 {
    return this.levels.get(pin) ?? 0;
  }
  setAnalogVoltage(): void {}
  set(pin: number, level: 0 | 1, t: number): void {
    this.timeS = t;
    if (this.pinLevel(pin) === level) return;
    this.levels.set(pin, level);
    for (const cb of this.listeners.get(pin) ?? []) cb(level, t);
  }
  /** PWM at `duty` on `pin` for `periods` periods of `periodS` from `t0`; returns the end time. */
  pwm(pin: number, duty: number, periodS: number, t0: number, periods: number): number {
    for (let k = 0; k < periods; k++) {
      this.set(pin, 1, t0 + k * periodS);
      this.set(pin, 0, t0 + (k + duty) * periodS);
    }
    return t0 + periods * periodS;
  }
}

describe('EmulatedMtjCircuit write current (duty from the PWM pin)', () => {
  const fullScaleA = 2e-3; // 5 V / 2.5 kΩ
  const period = 1 / 490; // timer 1/2 PWM of an Uno
  const pin = 9; // device 1

  function setup() {
    const board = new StubBoard();
    const circuit = new EmulatedMtjCircuit(board as unknown as UnoEmulator, arduinoUno, {}, 1);
    return { board, circuit };
  }

  it('reads the duty of a PWM from its last period', () => {
    const { board, circuit } = setup();
    const t = board.pwm(pin, 0.25, period, 0.01, 20);
    board.timeS = t + 0.1 * period;
    expect(circuit.currentA(1) / fullScaleA).toBeCloseTo(0.25, 6);
  });

  it('a pin going from held LOW straight to held HIGH (duty 0 → 255) reads full scale at once', () => {
    const { board, circuit } = setup();
    // an earlier PWM run, then held LOW for a while (duty 0), then held HIGH (duty 255)
    let t = board.pwm(pin, 0.5, period, 0.01, 20);
    board.set(pin, 0, t);
    expect(circuit.currentA(1)).toBeCloseTo(0.5 * fullScaleA, 9); // within two periods: the last duty
    board.timeS = t + 0.2;
    expect(circuit.currentA(1)).toBe(0); // held LOW
    t += 0.3;
    board.set(pin, 1, t);
    for (const dt of [0, 1e-4, period, 3 * period, 0.08, 1]) {
      board.timeS = t + dt;
      expect(circuit.currentA(1), `${dt} s after the pin went HIGH`).toBe(fullScaleA);
    }
    // and back to PWM: the duty again after a period
    t = board.pwm(pin, 0.75, period, t + 1.5, 3);
    board.timeS = t + 0.1 * period;
    expect(circuit.currentA(1) / fullScaleA).toBeCloseTo(0.75, 6);
  });

  it('a PWM that stops at a level reads that level after two periods', () => {
    const { board, circuit } = setup();
    const t = board.pwm(pin, 0.3, period, 0.01, 10);
    board.set(pin, 1, t); // analogWrite(255) mid-run: HIGH from the next period on
    board.timeS = t + 2.5 * period;
    expect(circuit.currentA(1)).toBe(fullScaleA);
  });
});
