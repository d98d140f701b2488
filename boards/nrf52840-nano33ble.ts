/**
 * Arduino Nano 33 BLE (Nordic nRF52840: Cortex-M4F at 64 MHz, 256 KiB RAM, 1 MiB flash), running the
 * module in wasm3 (the Wasm3 Arduino library) under the Arduino mbed core, USB CDC serial.
 * Linear memory budget: 48 KiB — below one 64 KiB WebAssembly page: mbed OS, the BLE stack, wasm3
 * (~10 KiB RAM plus its compiled code pages) and USB buffers take the rest. The module is built with
 * `--lowMemoryLimit 49152` and wasm3's runtime->memoryLimit = 49152.
 *
 * MTJ daughter board (3.3 V): PWM D2, D3, D5, D6 (mbed PwmOut, 8-bit here) → RC (τ = 1 ms) → V→I,
 * I = duty · 3.3 V / 1650 Ω; pulse D7, reset D8; read A0–A3 (SAADC 12-bit with analogReadResolution(12),
 * 3.3 V range), bit = V ≥ 0.316 V. No MTJ board: the nRF52840 RNG peripheral (bias-corrected).
 * Energy: Horowitz ISSCC 2014 (45 nm) upper bounds; SOT-MTJ write ~1 pJ, read ~0.1 pJ (estimates).
 */
import type { BoardProfile } from './board-profile.ts';

export const nrf52840Nano33Ble: BoardProfile = {
  id: 'nrf52840-nano33ble',
  name: 'Arduino Nano 33 BLE (nRF52840, wasm3)',
  cpu: { arch: 'arm-cortex-m4f', core: 'nRF52840 Cortex-M4F', clockHz: 64_000_000 },
  memory: { ramBytes: 256 * 1024, flashBytes: 1024 * 1024 },
  runtime: { kind: 'wasm3', wasmMemoryLimitBytes: 48 * 1024, transport: 'usb', baud: 115_200 },
  adc: { bits: 12, referenceV: 3.3 },
  mtj: {
    current: { kind: 'pwm-rc', pins: [2, 3, 5, 6], pwmBits: 8, pwmHighV: 3.3, rcTimeConstantS: 0.001, settleS: 0.008, senseOhm: 1650 },
    pulse: { pin: 7, widthS: 10e-9 },
    reset: { pin: 8 },
    read: { adcPins: [0, 1, 2, 3], biasCurrentA: 100e-6, thresholdV: 0.316 },
    limits: { minCurrentA: 0, maxCurrentA: 2e-3 },
  },
  // PlatformIO: Nordic nRF52 platform (its Arduino framework is the Arduino mbed core); Arduino: the mbed core,
  // arduino:mbed_nano since its 2.0, arduino:mbed before
  platformio: { platform: 'nordicnrf52', board: 'nano33ble' },
  arduino: { architectures: ['mbed_nano', 'mbed'] },
  energyPj: { intAdd32: 0.1, intMul32: 3.1, intMul16: 1.0, sramRead32: 5, flashRead32: 10, mtjWrite: 1, mtjRead: 0.1 },
};
