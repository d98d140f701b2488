/**
 * The MTJ daughter board of a BoardProfile, attached to the pins of an emulated Uno, with the junction
 * physics of SimMtj:
 *  - write current of device d: I_d = duty_d · pwmHighV / senseOhm, duty measured from the PWM pin's edges
 *    over its last full period (an ideal, settled low-pass filter; a pin held at a level gives duty 0 or 1:
 *    a level held for longer than the slowest PWM an Uno timer makes, or for two periods of the PWM it had);
 *  - pulse pin rising edge: the one-shot fires a pulse of mtj.pulse.widthS through every SOT line at its current;
 *  - reset pin rising edge: every junction back to P;
 *  - ADC channel of device d: V = I_b · R(state) + read noise, refreshed whenever the state changes.
 */
import type { BoardProfile } from '../../../boards/board-profile.ts';
import { SimMtj, type SimMtjConfig } from '../../../host/device/sim-mtj.ts';
import type { UnoEmulator } from './uno-emulator.ts';

/**
 * The longest PWM period an ATmega328P timer produces (phase-correct PWM, prescaler 1024: 16 MHz / 1024 / 510
 * = 30.6 Hz, 32.6 ms). Two rising edges further apart are not a PWM period: the pin was held at a level between them.
 */
const MAX_PWM_PERIOD_S = 1024 * 510 / 16e6;

interface PwmTrack {
  prevRise: number;
  lastRise: number;
  lastFall: number;
  lastEdge: number;
}

export class EmulatedMtjCircuit {
  readonly sim: SimMtj;
  /** Pulses and resets seen (for tests and benchmarks). */
  pulses = 0;
  resets = 0;
  private readonly tracks: PwmTrack[];
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly board: UnoEmulator,
    readonly profile: BoardProfile,
    simConfig: Partial<SimMtjConfig> = {},
    seed = 1,
  ) {
    const m = profile.mtj;
    if (!m || m.current.kind !== 'pwm-rc') throw new Error(`board ${profile.id}: the emulated circuit needs a pwm-rc MTJ wiring`);
    const current = m.current;
    this.sim = new SimMtj({ ...simConfig, deviceCount: m.read.adcPins.length, boardId: profile.id, pulseWidthS: m.pulse.widthS }, seed);
    this.sim.openSync();
    this.tracks = current.pins.map(() => ({ prevRise: -1, lastRise: -1, lastFall: -1, lastEdge: -1 }));
    current.pins.forEach((pin, d) => {
      this.unsubscribe.push(
        board.onPinChange(pin, (level, t) => {
          const tr = this.tracks[d];
          if (level) {
            tr.prevRise = tr.lastRise;
            tr.lastRise = t;
          } else tr.lastFall = t;
          tr.lastEdge = t;
        }),
      );
    });
    this.unsubscribe.push(board.onPinChange(m.pulse.pin, (level) => level && this.firePulse()));
    this.unsubscribe.push(board.onPinChange(m.reset.pin, (level) => level && this.resetAll()));
    this.refreshAdc();
  }

  /** Present write current of device d [A]. */
  currentA(d: number): number {
    const c = this.profile.mtj!.current;
    if (c.kind !== 'pwm-rc') return 0;
    return (this.duty(d) * c.pwmHighV) / c.senseOhm;
  }

  detach(): void {
    for (const u of this.unsubscribe) u();
    this.unsubscribe.length = 0;
  }

  private duty(d: number): number {
    const tr = this.tracks[d];
    const pin = (this.profile.mtj!.current as { pins: number[] }).pins[d];
    const level = this.board.pinLevel(pin);
    const period = tr.lastRise - tr.prevRise;
    const now = this.board.timeS;
    // No edges for two periods (or never), or the last two rises too far apart for a PWM period (the pin was held,
    // e.g. LOW at duty 0 and then HIGH at duty 255): the pin is held; duty is its level.
    if (tr.prevRise < 0 || period <= 0 || period > MAX_PWM_PERIOD_S || now - tr.lastEdge > 2 * period) return level;
    // High time of the latest complete high phase: after the last rise, or else in the previous period.
    if (tr.lastFall > tr.lastRise) return Math.min(1, (tr.lastFall - tr.lastRise) / period);
    if (tr.lastFall > tr.prevRise) return (tr.lastFall - tr.prevRise) / period;
    return level;
  }

  private firePulse(): void {
    this.pulses++;
    const w = this.profile.mtj!.pulse.widthS;
    for (let d = 0; d < this.sim.deviceCount; d++) this.sim.writePulse(d, this.currentA(d), w);
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
