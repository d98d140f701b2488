/**
 * Espressif ESP32-DevKitC (ESP32-WROOM-32: dual Xtensa LX6 at 240 MHz, 520 KiB SRAM of which ~320 KiB
 * DRAM, 4 MiB flash, no integer divide penalty, single-precision FPU unused by the integer engine),
 * running the module in wasm3 (the Wasm3 Arduino library, ESP32 Arduino core) with USB-serial at 921600 baud.
 * Linear memory budget: 96 KiB — the largest DRAM block left after a Wi-Fi/BT-free Arduino core, wasm3 and
 * the serial buffers is typically 110–120 KiB (heap_caps_get_largest_free_block), so 96 KiB leaves margin;
 * wasm3's memoryLimit uses all of it (WAMR would allocate whole 64 KiB pages: only one here).
 *
 * MTJ daughter board (same circuit as the Uno's, 3.3 V):
 *   write current: LEDC PWM on GPIO 25, 26, 27, 14 (10-bit, 78 kHz) → RC low-pass (τ = 1 ms, settled after 8τ = 8 ms) → V→I,
 *                  I = duty · 3.3 V / 1650 Ω (full scale 2 mA);
 *   pulse GPIO 32 → one-shot (10 ns write pulse); reset GPIO 33;
 *   read: 100 µA through each junction, ADC1 channels 0, 3, 6, 7 (GPIO 36, 39, 34, 35; 12-bit, 11 dB
 *         attenuation, ~3.3 V full scale), bit = V ≥ 0.316 V;
 *   no MTJ board fitted: the glue falls back to esp_random() (hardware RNG).
 * Energy: Horowitz ISSCC 2014 (45 nm) as upper bounds; SOT-MTJ write ~1 pJ, read ~0.1 pJ (estimates).
 */
import type { BoardProfile } from './board-profile.ts';

export const esp32DevkitC: BoardProfile = {
  id: 'esp32-devkitc',
  name: 'Espressif ESP32-DevKitC (ESP32-WROOM-32, wasm3)',
  cpu: { arch: 'xtensa', core: 'Xtensa LX6 (ESP32)', clockHz: 240_000_000 },
  memory: { ramBytes: 520 * 1024, flashBytes: 4 * 1024 * 1024 },
  runtime: { kind: 'wasm3', wasmMemoryLimitBytes: 96 * 1024, transport: 'serial', baud: 921_600 },
  adc: { bits: 12, referenceV: 3.3 },
  mtj: {
    current: { kind: 'pwm-rc', pins: [25, 26, 27, 14], pwmBits: 10, pwmHighV: 3.3, rcTimeConstantS: 0.001, settleS: 0.008, senseOhm: 1650 },
    pulse: { pin: 32, widthS: 10e-9 },
    reset: { pin: 33 },
    read: { adcPins: [0, 3, 6, 7], biasCurrentA: 100e-6, thresholdV: 0.316 },
    limits: { minCurrentA: 0, maxCurrentA: 2e-3 },
  },
  // PlatformIO: Espressif's platform, the DevKitC's board id; Arduino: the ESP32 Arduino core (esp32:esp32)
  platformio: { platform: 'espressif32', board: 'esp32dev' },
  arduino: { architectures: ['esp32'] },
  energyPj: { intAdd32: 0.1, intMul32: 3.1, intMul16: 1.0, sramRead32: 5, flashRead32: 10, mtjWrite: 1, mtjRead: 0.1 },
};
