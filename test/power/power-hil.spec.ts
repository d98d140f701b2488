/**
 * Hardware-in-the-loop power measurement: the GENUINE StandardFirmata on the emulated Uno, an emulated
 * INA219 on its I²C bus (TWI), and a known supply-current profile that depends on the marker pin and on
 * emulated time:
 *   I(t) = 30 mA + 20 mA·marker(t) + 3 mA·sin(2π·2 Hz·t),  V(t) = 5 V − 0.5 Ω·I(t),  shunt 0.1 Ω.
 * The whole chain — Firmata I²C requests, the INA219 register protocol and calibration, continuous
 * sampling, time stamps, marker alignment and integration — is checked against the exact energy of each
 * phase, integrated from the pin's actual edges in emulated time.
 */
import { describe, expect, it } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { loadDataset } from '../../host/data/index.ts';
import { defaultNetworkConfig, type NetworkConfig } from '../../host/engine/config.ts';
import { EmulatedI2cBus } from '../harness/uno/emulated-i2c-bus.ts';
import { EmulatedIna219 } from '../harness/uno/emulated-ina219.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { PinEdgeLog } from '../harness/uno/pin-edge-log.ts';
import { measureTrainingPower } from '../../host/power/measured-training.ts';
import type { PowerClock } from '../../host/power/power-clock.ts';
import { PowerSensorError } from '../../host/power/errors.ts';

const MARKER_PIN = 7;
/** Stated tolerance of the measured phase energies against the exact ones. */
const TOLERANCE = 0.02;

describe('power measurement on the emulated Uno + INA219 (HIL)', () => {
  it('energy per phase and per sample match the known current profile within 2 %', async () => {
    const hil = await startEmulatedUno();
    try {
      const bus = new EmulatedI2cBus(hil.emulator);
      const marker = new PinEdgeLog(hil.emulator, MARKER_PIN);
      const currentA = (t: number) => 0.03 + 0.02 * marker.levelAt(t) + 0.003 * Math.sin(2 * Math.PI * 2 * t);
      const busV = (t: number) => 5 - 0.5 * currentA(t);
      const chip = new EmulatedIna219({ shuntOhm: 0.1, currentA, busV });
      bus.attach(0x40, chip);
      const clock: PowerClock = { now: () => hil.emulator.timeS, delay: (s) => hil.emulator.delay(s) };
      const data = loadDataset('xor');
      const config: NetworkConfig = { ...defaultNetworkConfig, layout: [2, 4, 1], output: 'sigmoid', algorithm: 'pgaf', learningRate: 0.5 };
      const samples = 16;
      const run = await measureTrainingPower({
        port: hil.port, clock, profile: arduinoUno, markerPin: MARKER_PIN, data, config, samples, dwellS: 0.037, baselineS: 0.1,
      });
      // Exact energies from the pin's edges: sync rise, sync fall (= forward 0), then rise (backward k), fall (forward k+1 / end).
      const edges = marker.edges.map((e) => e.timeS);
      expect(edges.length).toBe(2 + 2 * samples);
      const exact = (a: number, b: number) => {
        const n = Math.ceil((b - a) / 1e-5);
        let s = 0;
        for (let i = 0; i < n; i++) {
          const t = a + ((i + 0.5) * (b - a)) / n;
          s += currentA(t) * busV(t);
        }
        return (s * (b - a)) / n;
      };
      let fwd = 0;
      let bwd = 0;
      for (let k = 0; k < samples; k++) {
        fwd += exact(edges[1 + 2 * k], edges[2 + 2 * k]);
        bwd += exact(edges[2 + 2 * k], edges[3 + 2 * k]);
      }
      const m = run.measured;
      const errF = m.phases.forward.energyJ / fwd - 1;
      const errB = m.phases.backward.energyJ / bwd - 1;
      const errT = m.perSampleJ / ((fwd + bwd) / samples) - 1;
      console.log(
        `HIL power: ${run.trace.length} readings every ${run.sensor.samplingMs} ms (T_conv ${run.sensor.conversionS * 1e3} ms), ` +
          `forward ${(m.phases.forward.perSampleJ * 1e3).toFixed(4)} mJ/sample (exact ${((fwd / samples) * 1e3).toFixed(4)}, ${(100 * errF).toFixed(2)} %), ` +
          `backward ${(m.phases.backward.perSampleJ * 1e3).toFixed(4)} mJ/sample (exact ${((bwd / samples) * 1e3).toFixed(4)}, ${(100 * errB).toFixed(2)} %), ` +
          `total ${(100 * errT).toFixed(2)} %, idle ${m.idlePowerW?.toFixed(4)} W, emulated ${hil.emulator.timeS.toFixed(2)} s`,
      );
      expect(chip.reads).toBeGreaterThan(100);
      expect(Math.abs(errF)).toBeLessThan(TOLERANCE);
      expect(Math.abs(errB)).toBeLessThan(TOLERANCE);
      expect(Math.abs(errT)).toBeLessThan(TOLERANCE);
      // Durations: the host's latency-corrected stamps against the pin's edges.
      let dF = 0;
      for (let k = 0; k < samples; k++) dF += edges[2 + 2 * k] - edges[1 + 2 * k];
      expect(Math.abs(m.phases.forward.durationS / dF - 1)).toBeLessThan(0.01);
      expect(m.separable).toBe(true);
      // Idle power (marker LOW): (30 mA ± ripple)·(5 V − 15 mV).
      expect(m.idlePowerW!).toBeGreaterThan(0.14);
      expect(m.idlePowerW!).toBeLessThan(0.165);
      expect(m.phases.backward.meanPowerW).toBeGreaterThan(m.phases.forward.meanPowerW + 0.08);
    } finally {
      hil.stop();
    }
  });

  it('no sensor at the address → PowerSensorError naming port and address', async () => {
    const hil = await startEmulatedUno({ path: 'emulated:uno-no-ina' });
    try {
      new EmulatedI2cBus(hil.emulator); // empty bus: every address NACKs
      const clock: PowerClock = { now: () => hil.emulator.timeS, delay: (s) => hil.emulator.delay(s) };
      const config: NetworkConfig = { ...defaultNetworkConfig, layout: [2, 4, 1], output: 'sigmoid' };
      const err = await measureTrainingPower({ port: hil.port, clock, profile: arduinoUno, markerPin: MARKER_PIN, data: loadDataset('xor'), config, samples: 1 }).catch((e) => e);
      expect(err).toBeInstanceOf(PowerSensorError);
      expect(String(err.message)).toMatch(/0x40.*emulated:uno-no-ina/);
    } finally {
      hil.stop();
    }
  });
});
