/**
 * PJRC Teensy 4.1 (NXP i.MX RT1062: Cortex-M7 at 600 MHz, 1 MiB on-chip RAM — 512 KiB tightly coupled
 * RAM1 + 512 KiB OCRAM RAM2 —, 8 MiB flash), running the module in wasm3 (the Wasm3 Arduino library,
 * which supports Teensyduino: m3_config_platforms.h has its TEENSYDUINO defaults), USB serial
 * (480 Mbit/s; baud ignored). Not WAMR: WAMR has no Arduino/Teensyduino platform layer.
 * Linear memory budget: 384 KiB. Teensyduino's malloc heap is RAM2 (after the DMAMEM variables), and wasm3
 * allocates everything there: linear memory (memoryLimit caps it at the budget), its compiled code (1 KiB
 * code pages on Arduino targets, a few bytes per module byte), function and module structures and its
 * 8 KiB stack — estimated ≤ 64 KiB for this ≤ 8 KiB module. 512 − 384 = 128 KiB of RAM2 is left for them,
 * Teensyduino's DMAMEM buffers (USB) and fragmentation. RAM1 keeps code, the C stack and static data.
 *
 * MTJ daughter board (3.3 V): PWM pins 2, 3, 4, 5 (FlexPWM, 12-bit via analogWriteResolution) → RC
 * (τ = 1 ms) → V→I, I = duty · 3.3 V / 1650 Ω; pulse pin 6, reset pin 7; read A0–A3 (10-bit default,
 * 3.3 V), bit = V ≥ 0.316 V. No MTJ board: the i.MX RT TRNG (Entropy library).
 * Energy: Horowitz ISSCC 2014 (45 nm) upper bounds; SOT-MTJ write ~1 pJ, read ~0.1 pJ (estimates).
 */
import type { BoardProfile } from './board-profile.ts';

export const teensy41: BoardProfile = {
  id: 'teensy41',
  name: 'PJRC Teensy 4.1 (i.MX RT1062, wasm3)',
  cpu: { arch: 'arm-cortex-m7', core: 'i.MX RT1062 Cortex-M7', clockHz: 600_000_000 },
  memory: { ramBytes: 1024 * 1024, flashBytes: 8 * 1024 * 1024 },
  runtime: { kind: 'wasm3', wasmMemoryLimitBytes: 384 * 1024, transport: 'usb' },
  adc: { bits: 10, referenceV: 3.3 },
  mtj: {
    current: { kind: 'pwm-rc', pins: [2, 3, 4, 5], pwmBits: 12, pwmHighV: 3.3, rcTimeConstantS: 0.001, settleS: 0.008, senseOhm: 1650 },
    pulse: { pin: 6, widthS: 10e-9 },
    reset: { pin: 7 },
    read: { adcPins: [0, 1, 2, 3], biasCurrentA: 100e-6, thresholdV: 0.316 },
    limits: { minCurrentA: 0, maxCurrentA: 2e-3 },
  },
  // PlatformIO: the teensy platform; Arduino: Teensyduino installs as teensy:avr, so its architecture is "avr"
  // (for every Teensy, the ARM ones included)
  platformio: { platform: 'teensy', board: 'teensy41' },
  arduino: { architectures: ['avr'] },
  energyPj: { intAdd32: 0.1, intMul32: 3.1, intMul16: 1.0, sramRead32: 5, flashRead32: 10, mtjWrite: 1, mtjRead: 0.1 },
};
