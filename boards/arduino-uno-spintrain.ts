/**
 * Arduino Uno R3 (ATmega328P, 16 MHz) running spintrain's own firmware (boards/firmware/uno) at 250 000 baud,
 * with the fast MTJ daughter board: the host runs the trainer, the board samples the junctions itself
 * (MTJ_SAMPLE sysex) and returns packed bits.
 *
 * What differs from boards/arduino-uno.ts (the StandardFirmata board):
 *   PWM: the firmware runs timers 1 and 2 at prescaler 1, f = 16 MHz / 510 = 31.37 kHz (64× the core's 490 Hz);
 *   filter: two-pole RC, 2 × τ = 0.16 ms (e.g. 1.6 kΩ · 100 nF per pole, buffered by the V→I op-amp): the
 *           490 Hz board's τ = 10 ms scaled by 490 / 31 372, so the ripple is the same, under ½ LSB at 8 bits
 *           (fundamental attenuated by 1 + (ωτ)² ≈ 1 + 31.5² per pole);
 *   settling: a full-scale step of a two-pole filter leaves (1 + t/τ)·e^(−t/τ) of the step; at t = 10τ = 1.6 ms
 *           that is 5.0·10⁻⁴ = 0.13 LSB (the 490 Hz board waits 9τ = 90 ms);
 *   link: 250 000 baud, exact at 16 MHz (UBRR 7 with U2X) and on the Uno's 16U2 (Marlin's rate), 4.3× StandardFirmata's 57 600.
 * This board needs spintrain's firmware (runtime.firmware): StandardFirmata's 490 Hz PWM would pass this
 * filter almost unfiltered. Flash it with `spintrain flash --board arduino-uno-spintrain --port P`; the build
 * compiles the link's baud rate in.
 *
 * Everything else as boards/arduino-uno.ts: PWM pins 3, 9, 10, 11 → V→I, I = duty · 5 V / 2.5 kΩ; pulse D2, reset
 * D4; read A0–A3, bit = V ≥ 0.316 V; INA219 on A4/A5; optiboot.
 */
import type { BoardProfile } from './board-profile.ts';
import { arduinoUno } from './arduino-uno.ts';

const uno = arduinoUno.mtj!;

export const arduinoUnoSpintrain: BoardProfile = {
  ...arduinoUno,
  id: 'arduino-uno-spintrain',
  name: 'Arduino Uno R3 (spintrain firmware, fast MTJ board, host-tethered)',
  runtime: { kind: 'host-tethered', transport: 'firmata', baud: 250_000, firmware: 'spintrain' },
  mtj: {
    ...uno,
    current: { kind: 'pwm-rc', pins: [3, 9, 10, 11], pwmBits: 8, pwmHighV: 5, rcTimeConstantS: 0.00016, rcPoles: 2, settleS: 0.0016, senseOhm: 2500 },
  },
};
