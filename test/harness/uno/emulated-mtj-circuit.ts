/**
 * The MTJ daughter board of a BoardProfile, attached to the pins of an emulated Uno, with the junction
 * physics of SimMtj:
 *  - write current of device d: its PWM pin → RC low-pass (mtj.current.rcPoles equal, buffered poles of
 *    τ = rcTimeConstantS each; default one) → V→I converter, I_d = x_last / senseOhm [A], x_last [V] the last
 *    pole's output. The filter's input is the pin, u(t) = pwmHighV while HIGH and 0 V while LOW, piecewise
 *    constant between the pin's edges (emulated times from the emulator's onPinChange). Over an interval Δt [s]
 *    of constant u the state updates exactly, with a = e^(−Δt/τ), s = Δt/τ:
 *        x1 ← u + (x1 − u)·a
 *        x2 ← u + (x2 − u)·a + (x1_old − u)·s·a        (two poles; x1_old: x1 before this update)
 *    The state is 0 V when the circuit attaches (power-on, t = 0 for startEmulatedUno) and is advanced at each
 *    edge (with the level before the edge) and at each pulse: a pulse sees the current at its instant, PWM
 *    ripple and incomplete settling included. A host that pulses too soon after a duty change gets the wrong
 *    current, as on the board.
 *    Closed forms for a step of height ΔI: one pole ΔI·(1 − e^(−t/τ)); two poles ΔI·(1 − (1 + t/τ)·e^(−t/τ)).
 *    For a steady PWM of duty D the mean is D·pwmHighV/senseOhm;
 *  - pulse pin rising edge: the one-shot fires a pulse of mtj.pulse.widthS through every SOT line at its current;
 *  - reset pin rising edge: every junction back to P;
 *  - ADC channel of device d: V = I_b · R(state) + read noise, refreshed whenever the state changes.
 */
import type { BoardProfile } from '../../../boards/board-profile.ts';
import { SimMtj, type SimMtjConfig } from '../../../host/device/sim-mtj.ts';
import type { UnoEmulator } from './uno-emulator.ts';

/** The emulator's pin events and time, as the circuit uses them (a test may stand in for the emulator). */
export type CircuitBoard = Pick<UnoEmulator, 'onPinChange' | 'pinLevel' | 'setAnalogVoltage' | 'timeS'>;

/** The RC filter of one PWM pin: pole outputs [V] at time t [s], input u [V] since t. */
interface RcFilter {
  x1: number;
  x2: number;
  t: number;
  u: number;
}

export class EmulatedMtjCircuit {
  readonly sim: SimMtj;
  /** Pulses and resets seen (for tests and benchmarks). */
  pulses = 0;
  resets = 0;
  private readonly filters: RcFilter[];
  private readonly tau: number;
  private readonly twoPoles: boolean;
  private readonly highV: number;
  private readonly senseOhm: number;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly board: CircuitBoard,
    readonly profile: BoardProfile,
    simConfig: Partial<SimMtjConfig> = {},
    seed = 1,
  ) {
    const m = profile.mtj;
    if (!m || m.current.kind !== 'pwm-rc') throw new Error(`board ${profile.id}: the emulated circuit needs a pwm-rc MTJ wiring`);
    const current = m.current;
    this.tau = current.rcTimeConstantS;
    this.twoPoles = (current.rcPoles ?? 1) === 2;
    this.highV = current.pwmHighV;
    this.senseOhm = current.senseOhm;
    this.sim = new SimMtj({ ...simConfig, deviceCount: m.read.adcPins.length, boardId: profile.id, pulseWidthS: m.pulse.widthS }, seed);
    this.sim.openSync();
    const t0 = board.timeS;
    this.filters = current.pins.map((pin) => ({ x1: 0, x2: 0, t: t0, u: board.pinLevel(pin) ? this.highV : 0 }));
    current.pins.forEach((pin, d) => {
      const f = this.filters[d];
      this.unsubscribe.push(
        board.onPinChange(pin, (level, t) => {
          this.advance(f, t);
          f.u = level ? this.highV : 0;
        }),
      );
    });
    this.unsubscribe.push(board.onPinChange(m.pulse.pin, (level, t) => level && this.firePulse(t)));
    this.unsubscribe.push(board.onPinChange(m.reset.pin, (level) => level && this.resetAll()));
    this.refreshAdc();
  }

  /** Write current of device d [A] at the emulator's present time (the filter's output, ripple included). */
  currentA(d: number): number {
    return this.writeCurrentA(d, this.board.timeS);
  }

  /**
   * Write current of device d [A] at emulated time t ≥ the device's last pin edge (default: now), without
   * changing the filter's state.
   */
  writeCurrentA(d: number, t = this.board.timeS): number {
    const f = this.filters[d];
    const g = { ...f };
    this.advance(g, t);
    return (this.twoPoles ? g.x2 : g.x1) / this.senseOhm;
  }

  /** The current device d settles to with its pin held where it is now [A] (the filter's input / senseOhm). */
  targetCurrentA(d: number): number {
    return this.filters[d].u / this.senseOhm;
  }

  detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
  }

  /** Advance filter f to time t [s] with its input held at f.u (exact for a constant input). */
  private advance(f: RcFilter, t: number): void {
    const dt = t - f.t;
    if (!(dt > 0)) return;
    const s = dt / this.tau;
    const a = Math.exp(-s);
    const u = f.u;
    const e1 = f.x1 - u;
    f.x1 = u + e1 * a;
    if (this.twoPoles) f.x2 = u + (f.x2 - u) * a + e1 * s * a;
    f.t = t;
  }

  private firePulse(t: number): void {
    this.pulses++;
    const w = this.profile.mtj!.pulse.widthS;
    for (let d = 0; d < this.sim.deviceCount; d++) {
      const f = this.filters[d];
      this.advance(f, t);
      this.sim.writePulse(d, (this.twoPoles ? f.x2 : f.x1) / this.senseOhm, w);
    }
    this.refreshAdc();
  }

  private resetAll(): void {
    this.resets++;
    for (let d = 0; d < this.sim.deviceCount; d++) this.sim.resetDevice(d);
    this.refreshAdc();
  }

  private refreshAdc(): void {
    const m = this.profile.mtj!;
    m.read.adcPins.forEach((ch, d) => this.board.setAnalogVoltage(ch, this.sim.noisyJunctionVoltage(d, m.read.biasCurrentA)));
  }
}
