/**
 * Raspberry Pi Pico (RP2040: dual Cortex-M0+ at 133 MHz, no FPU, 264 KiB SRAM, 2 MiB QSPI flash),
 * running the module in wasm3 (Arduino-Pico core), USB CDC serial.
 * Linear memory budget: 160 KiB of the 264 KiB SRAM (the rest: wasm3 ~10 KiB + compiled code pages,
 * stacks, USB). Cortex-M0+ has no hardware divide in the core (the RP2040 SIO divider is used by the
 * C library) and no FPU: the integer-only module is what makes it practical.
 *
 * MTJ daughter board (3.3 V): PWM GPIO 2, 3, 4 (slices 1A, 1B, 2A; 12-bit at 30 kHz) → RC (τ = 1 ms)
 * → V→I, I = duty · 3.3 V / 1650 Ω; pulse GPIO 6, reset GPIO 7; read ADC0–ADC2 (GPIO 26–28, 12-bit,
 * 3.3 V), bit = V ≥ 0.316 V — three junctions (the Pico exposes three ADC inputs). No MTJ board:
 * the ring oscillator's ROSC random bit (rosc_hw->randombit), whitened.
 * Energy: Horowitz ISSCC 2014 (45 nm) upper bounds; SOT-MTJ write ~1 pJ, read ~0.1 pJ (estimates).
 */
import type { BoardProfile } from './board-profile.ts';

export const rp2040Pico: BoardProfile = {
  id: 'rp2040-pico',
  name: 'Raspberry Pi Pico (RP2040, wasm3)',
  cpu: { arch: 'arm-cortex-m0+', core: 'RP2040 dual Cortex-M0+', clockHz: 133_000_000 },
  memory: { ramBytes: 264 * 1024, flashBytes: 2 * 1024 * 1024 },
  runtime: { kind: 'wasm3', wasmMemoryLimitBytes: 160 * 1024, transport: 'usb', baud: 115_200 },
  adc: { bits: 12, referenceV: 3.3 },
  mtj: {
    current: { kind: 'pwm-rc', pins: [2, 3, 4], pwmBits: 12, pwmHighV: 3.3, rcTimeConstantS: 0.001, settleS: 0.008, senseOhm: 1650 },
    pulse: { pin: 6, widthS: 10e-9 },
    reset: { pin: 7 },
    read: { adcPins: [0, 1, 2], biasCurrentA: 100e-6, thresholdV: 0.316 },
    limits: { minCurrentA: 0, maxCurrentA: 2e-3 },
  },
  // The port needs the Arduino-Pico core (rp2040.hwrand32()). PlatformIO's own raspberrypi platform builds the
  // Pico with the Arduino mbed core only; Arduino-Pico's documentation (docs/platformio.rst) has its users take
  // Max Gerhardt's fork of that platform and pick the core with board_build.core = earlephilhower.
  // Arduino: Arduino-Pico is rp2040:rp2040.
  platformio: { platform: 'https://github.com/maxgerhardt/platform-raspberrypi.git', board: 'pico', options: { 'board_build.core': 'earlephilhower' } },
  arduino: { architectures: ['rp2040'] },
  energyPj: { intAdd32: 0.1, intMul32: 3.1, intMul16: 1.0, sramRead32: 5, flashRead32: 10, mtjWrite: 1, mtjRead: 0.1 },
};
