/**
 * The emulated MTJ board's write current (test/harness/uno/emulated-mtj-circuit.ts): the PWM pin through the
 * daughter board's RC low-pass, from the pin's edges. The edges come from PinEvents, a stand-in for the
 * emulator's pin events (UnoEmulator.onPinChange(pin, cb(level, timeS)) and timeS): the test places each edge
 * in time, so the filter's output can be checked against its closed forms.
 */
import { describe, expect, it, vi } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { EmulatedMtjCircuit, type CircuitBoard } from '../harness/uno/emulated-mtj-circuit.ts';

/** Stand-in for the emulator's pin events: pins change level when the test says, at the time it says. */
class PinEvents implements CircuitBoard {
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
}

/** The arduino-uno profile with another filter. */
function withFilter(rcTimeConstantS: number, rcPoles: 1 | 2): BoardProfile {
  const m = arduinoUno.mtj!;
  if (m.current.kind !== 'pwm-rc') throw new Error('pwm-rc expected');
  return { ...arduinoUno, mtj: { ...m, current: { ...m.current, rcTimeConstantS, rcPoles } } };
}

const fullScaleA = 2e-3; // 5 V / 2.5 kΩ
const lsbA = fullScaleA / 255; // 8-bit PWM
const pin = 9; // device 1
const step1 = (x: number) => 1 - Math.exp(-x);
const step2 = (x: number) => 1 - (1 + x) * Math.exp(-x);

function setup(profile: BoardProfile = arduinoUno) {
  const board = new PinEvents();
  const circuit = new EmulatedMtjCircuit(board, profile, {}, 1);
  return { board, circuit };
}

/**
 * Phase-correct 8-bit PWM (as the Uno's timers make it): period 510 timer ticks, HIGH for 2·code ticks centred in
 * the period. Feeds the edges of periods [0, n) while sampling the current M times per period over the last
 * `window` periods; returns the samples' mean, min and max [A].
 */
function pwmRun(circuit: EmulatedMtjCircuit, board: PinEvents, code: number, periodS: number, n: number, window = 4, m = 1000) {
  const high = (2 * code) / 510;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const rise = (k + 0.5 - high / 2) * periodS;
    const fall = (k + 0.5 + high / 2) * periodS;
    const sampled = k >= n - window;
    // a sample at t needs every edge up to t fed first
    const sampleUpTo = (tEnd: number, from: number) => {
      for (let j = 0; j < m; j++) {
        const t = k * periodS + ((j + 0.5) / m) * periodS;
        if (t < from || t >= tEnd) continue;
        const i = circuit.writeCurrentA(1, t);
        min = Math.min(min, i);
        max = Math.max(max, i);
        sum += i;
        count++;
      }
    };
    if (sampled) sampleUpTo(rise, -Infinity);
    board.set(pin, 1, rise);
    if (sampled) sampleUpTo(fall, rise);
    board.set(pin, 0, fall);
    if (sampled) sampleUpTo(Infinity, fall);
  }
  return { mean: sum / count, min, max };
}

describe('EmulatedMtjCircuit write current (PWM → RC low-pass, from the pin edges)', () => {
  it('the profile field: rcPoles 2 on the arduino-uno profile', () => {
    expect(arduinoUno.mtj!.current).toMatchObject({ kind: 'pwm-rc', rcTimeConstantS: 0.01, rcPoles: 2 });
  });

  it('one pole: a step follows I_FS·(1 − e^(−t/τ)); starts at 0 A', () => {
    const tau = 0.01;
    const { board, circuit } = setup(withFilter(tau, 1));
    board.timeS = 0.005;
    expect(circuit.currentA(1)).toBe(0);
    const t0 = 0.005;
    board.set(pin, 1, t0);
    for (const x of [0, 0.01, 0.1, 0.5, 1, 2, 5, 10]) {
      board.timeS = t0 + x * tau;
      expect(circuit.currentA(1) / fullScaleA, `t = ${x} τ`).toBeCloseTo(step1(x), 12);
    }
  });

  it('two poles: a step follows I_FS·(1 − (1 + t/τ)·e^(−t/τ)); a step back down superposes', () => {
    const tau = 0.01;
    const { board, circuit } = setup(withFilter(tau, 2));
    const t0 = 0.003;
    board.set(pin, 1, t0);
    for (const x of [0, 0.01, 0.1, 0.5, 1, 2, 5, 10]) {
      board.timeS = t0 + x * tau;
      expect(circuit.currentA(1) / fullScaleA, `t = ${x} τ`).toBeCloseTo(step2(x), 12);
    }
    // HIGH from t0 to t1, LOW after: I(t) = I_FS·(step(t − t0) − step(t − t1)), the filter being linear
    const t1 = t0 + 1.5 * tau;
    board.set(pin, 0, t1);
    for (const x of [0, 0.3, 1, 3, 8]) {
      const t = t1 + x * tau;
      board.timeS = t;
      expect(circuit.currentA(1) / fullScaleA, `${x} τ after the fall`).toBeCloseTo(step2((t - t0) / tau) - step2((t - t1) / tau), 12);
    }
    // the other devices' pins never moved: 0 A exactly
    for (const d of [0, 2, 3]) expect(circuit.currentA(d)).toBe(0);
  });

  it('a pin held at a level converges to full scale or 0', () => {
    const { board, circuit } = setup();
    board.set(pin, 1, 0.01);
    board.timeS = 0.01 + 0.5;
    expect(Math.abs(circuit.currentA(1) - fullScaleA)).toBeLessThan(1e-12);
    expect(circuit.targetCurrentA(1)).toBe(fullScaleA);
    board.set(pin, 0, 0.6);
    board.timeS = 1.1;
    expect(Math.abs(circuit.currentA(1))).toBeLessThan(1e-12);
    expect(circuit.targetCurrentA(1)).toBe(0);
  });

  it('arduino-uno (two poles of τ = 10 ms): a full-scale step is within ½ LSB (ripple included) at settleS and far from it at settleS/8', () => {
    const c = arduinoUno.mtj!.current;
    if (c.kind !== 'pwm-rc') throw new Error('pwm-rc expected');
    expect(c.settleS).toBe(0.09);
    const errLsbAt = (dt: number) => {
      const { board, circuit } = setup();
      board.set(pin, 1, 0.002);
      board.timeS = 0.002 + dt;
      return (fullScaleA - circuit.currentA(1)) / lsbA;
    };
    // closed form: (1 + t/τ)·e^(−t/τ)·255 LSB; ½ LSB is reached at 8.484 τ = 84.8 ms
    expect(errLsbAt(0.08)).toBeCloseTo(9 * Math.exp(-8) * 255, 9); // 0.770 LSB at 80 ms (the profile's settleS until 2026-12)
    expect(errLsbAt(c.settleS)).toBeCloseTo(10 * Math.exp(-9) * 255, 9); // 0.315 LSB at 90 ms
    expect(errLsbAt(0.0849)).toBeLessThan(0.5);
    expect(errLsbAt(0.0848)).toBeGreaterThan(0.5);
    expect(errLsbAt(c.settleS)).toBeLessThan(0.5 - 0.17); // with the 490 Hz ripple (≤ 0.17 LSB) still within ½ LSB
    expect(errLsbAt(c.settleS / 8)).toBeGreaterThan(100); // 11 ms: ~180 LSB off
  });

  const cases = [
    { label: '490 Hz (Uno default, timers 1 and 2 at prescaler 64), τ = 10 ms, two poles', periodS: (64 * 510) / 16e6, tau: 0.01 },
    { label: '31.37 kHz (prescaler 1), τ = 0.16 ms, two poles', periodS: 510 / 16e6, tau: 0.16e-3 },
  ];
  for (const { label, periodS, tau } of cases) {
    it(`PWM at ${label}: mean = duty·pwmHighV/senseOhm, ripple below ½ LSB`, () => {
      const n = Math.ceil((30 * tau) / periodS) + 4; // 30 τ: the step from 0 has died out
      let worst = 0;
      for (const code of [1, 64, 127, 128, 200, 254]) {
        const { board, circuit } = setup(withFilter(tau, 2));
        const { mean, min, max } = pwmRun(circuit, board, code, periodS, n);
        expect(Math.abs(mean - (code / 255) * fullScaleA) / lsbA, `code ${code}: mean`).toBeLessThan(1e-3);
        const ripple = Math.max(max - mean, mean - min) / lsbA;
        expect(ripple, `code ${code}: ripple`).toBeLessThan(0.5);
        worst = Math.max(worst, ripple);
      }
      // measured (code 128, the worst): 0.166 LSB at 490 Hz, 0.158 LSB at 31.37 kHz (peak-to-peak twice that)
      expect(worst).toBeGreaterThan(0.1);
      expect(worst).toBeLessThan(0.2);
    });
  }

  it('one pole at 490 Hz, τ = 10 ms: the ripple is large (13 LSB peak-to-peak), the mean still right', () => {
    const periodS = (64 * 510) / 16e6;
    const { board, circuit } = setup(withFilter(0.01, 1));
    const { mean, min, max } = pwmRun(circuit, board, 128, periodS, 160);
    expect(Math.abs(mean - (128 / 255) * fullScaleA) / lsbA).toBeLessThan(1e-3);
    expect((max - min) / lsbA).toBeGreaterThan(12);
  });

  it('a pulse sees the current at its instant: a host that pulses before settleS gets the unsettled current', () => {
    const { board, circuit } = setup();
    const writes: number[] = [];
    vi.spyOn(circuit.sim, 'writePulse').mockImplementation((d, currentA) => {
      if (d === 1) writes.push(currentA);
    });
    const pulsePin = arduinoUno.mtj!.pulse.pin;
    const t0 = 0.004;
    board.set(pin, 1, t0);
    for (const dt of [0.01, 0.04, 0.08, 0.2]) {
      board.set(pulsePin, 1, t0 + dt);
      board.set(pulsePin, 0, t0 + dt + 1e-6);
    }
    expect(circuit.pulses).toBe(4);
    expect(writes.map((i) => i / fullScaleA)).toEqual([0.01, 0.04, 0.08, 0.2].map((dt) => expect.closeTo(step2(dt / 0.01), 12)));
    expect(writes[0] / fullScaleA).toBeLessThan(0.27); // a pulse 10 ms after the change sees 26 % of the current
  });
});
