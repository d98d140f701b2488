/**
 * Arduino Uno R3 (ATmega328P, 16 MHz, 2 KB SRAM, 32 KB flash) tethered over USB serial with
 * StandardFirmata (57600 baud): the host runs the trainer; the Uno drives a 4-junction MTJ board.
 *
 * Wiring (MTJ daughter board):
 *   write current: PWM pins 3, 9, 10, 11 (timers 2 and 1, ~490 Hz) → two-pole RC low-pass (two buffered poles
 *                  of τ = 10 ms, rcPoles 2; ripple ≤ ±0.17 LSB at 490 Hz; a full-scale step leaves
 *                  (1 + t/τ)·e^(−t/τ) of itself: 0.31 LSB after settleS = 90 ms = 9τ, so ripple and residue stay
 *                  under ½ LSB; 80 ms, used until 2026-12, left 0.77 LSB) → V→I converter,
 *                  I = duty · 5 V / 2.5 kΩ (full scale 2 mA, 7.8 µA per PWM step);
 *   pulse: D2 rising edge → one-shot (74LVC1G123) gating a 10 ns write pulse through all four SOT lines;
 *   reset: D4 rising edge → reverse-current one-shot, all junctions back to P;
 *   read: 100 µA current source through each junction, junction voltage on A0–A3 (10-bit ADC, 5 V reference),
 *         bit = V ≥ 0.316 V (= 100 µA · 2 kΩ · √2.5, geometric mid-point of R_P = 2 kΩ and R_AP = 5 kΩ);
 *   power: INA219 on I²C (A4 = SDA, A5 = SCL) with a 0.1 Ω shunt.
 * Energy table: Horowitz ISSCC 2014 (45 nm) for arithmetic/SRAM (a 2 KB AVR SRAM costs less; these are upper
 * bounds used across boards), SOT-MTJ write ~1 pJ, read ~0.1 pJ (estimates).
 */
import type { BoardProfile } from './board-profile.ts';

export const arduinoUno: BoardProfile = {
  id: 'arduino-uno',
  name: 'Arduino Uno R3 (StandardFirmata, host-tethered)',
  cpu: { arch: 'avr', core: 'ATmega328P', clockHz: 16_000_000 },
  memory: { ramBytes: 2048, flashBytes: 32768 },
  runtime: { kind: 'host-tethered', transport: 'firmata', baud: 57600 },
  adc: { bits: 10, referenceV: 5 },
  mtj: {
    current: { kind: 'pwm-rc', pins: [3, 9, 10, 11], pwmBits: 8, pwmHighV: 5, rcTimeConstantS: 0.01, rcPoles: 2, settleS: 0.09, senseOhm: 2500 },
    pulse: { pin: 2, widthS: 10e-9 },
    reset: { pin: 4 },
    read: { adcPins: [0, 1, 2, 3], biasCurrentA: 100e-6, thresholdV: 0.316 },
    limits: { minCurrentA: 0, maxCurrentA: 2e-3 },
  },
  powerSensor: { kind: 'ina219', i2cAddress: 0x40, sdaPin: 'A4', sclPin: 'A5', shuntOhm: 0.1 },
  // D0–D13, then A0–A5 as 14–19; D0/D1 carry the serial link (ATmega328P datasheet, StandardFirmata)
  firmataPins: { digitalPins: 20, serialPins: [0, 1], analogBase: 14 },
  // optiboot (STK500v1 at 115200 baud) in the top 512 bytes; USB: Arduino's 16U2 (Uno R3, R2, SMD), and the
  // CH340 of common clones
  flash: { firmware: 'uno', avrdudePart: 'atmega328p', programmer: 'arduino', baud: 115200, sketchFlashBytes: 32768 - 512, usbIds: ['2341:0043', '2341:0001', '2a03:0043', '2341:0243', '1a86:7523'] },
  energyPj: { intAdd32: 0.1, intMul32: 3.1, intMul16: 1.0, sramRead32: 5, flashRead32: 10, mtjWrite: 1, mtjRead: 0.1 },
};
