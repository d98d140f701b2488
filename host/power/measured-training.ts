/**
 * A training run with its board's supply power measured: opens the board (johnny-five / Firmata),
 * configures the INA219, samples it continuously, marks the phases of every training sample on the
 * marker pin, and cuts the trace into phases (phase-energy.ts).
 *
 * Timeline (PowerClock): idle baseline (baselineS, marker LOW) → sync pulse (syncS, HIGH) → per sample:
 * forward pass (LOW; the module's forward + the p-GAF draws, which it takes from its own generator or the
 * simulated array), backward pass + update (HIGH) → end (LOW) → tail (until the last readings arrive).
 * The samples are the first steps of `spintrain train` with the same config and seed: same epoch orders,
 * setEpoch at every epoch start (marked-training.ts).
 * Each phase lasts at least dwellS: the host computes in microseconds, while the sensor reports every
 * few ms, so on a host-tethered board a dwell makes single phases visible in the trace (0 = as fast as
 * the host runs; phase energies then come from many short intervals).
 */
import type { BoardProfile } from '../../boards/board-profile.ts';
import type { Dataset } from '../data/index.ts';
import type { SerialPortLike } from '../device/firmata-link.ts';
import type { OpCounters } from '../engine/counters.ts';
import type { NetworkConfig } from '../engine/config.ts';
import { SpintrainEngine } from '../engine/wasm-engine.ts';
import { openFirmataBoard } from './firmata-board.ts';
import { runMarkedSteps } from './marked-training.ts';
import { Ina219 } from './ina219.ts';
import { type MeasuredEnergy, measurePhaseEnergy } from './phase-energy.ts';
import { type MarkerEvent, PhaseMarker } from './phase-marker.ts';
import type { PowerClock } from './power-clock.ts';
import { MarkerPinError, PowerSensorError } from './power-errors.ts';
import { PowerTrace } from './power-trace.ts';

export interface MeasuredTrainingOptions {
  port: string | SerialPortLike;
  clock: PowerClock;
  profile: BoardProfile;
  /** I²C address of the INA219; default the profile's powerSensor.i2cAddress. */
  address?: number;
  /** Shunt [Ω]; default the profile's. */
  shuntOhm?: number;
  markerPin: number;
  data: Dataset;
  config: NetworkConfig;
  /** Training samples to run and measure. */
  samples: number;
  samplingMs?: number;
  dwellS?: number;
  baselineS?: number;
  syncS?: number;
  linkLatencyS?: number;
  readyTimeoutS?: number;
}

export interface SensorInfo {
  kind: 'ina219';
  address: number;
  shuntOhm: number;
  config: number;
  calibration: number;
  currentLsbA: number;
  conversionS: number;
  samplingMs: number;
  stampOffsetS: number;
}

export interface MeasuredTraining {
  port: string;
  boardId: string;
  markerPin: number;
  sensor: SensorInfo;
  trace: PowerTrace;
  markers: MarkerEvent[];
  measured: MeasuredEnergy;
  /** Counters of the measured samples. */
  ops: OpCounters;
  samples: number;
  /** Fraction of the measured samples predicted correctly before their update. */
  trainAccuracy: number;
  /** Test-split accuracy after the measured samples. */
  testAccuracy: number;
  config: NetworkConfig;
  dataset: string;
}

/** Digital pins the marker may use: not the serial pins, the I²C pins or the MTJ wiring. */
export function checkMarkerPin(profile: BoardProfile, pin: number): void {
  if (!Number.isInteger(pin) || pin < 2 || pin > 19) throw new MarkerPinError(profile.id, pin, 'must be a digital pin 2–19 (0/1 carry the serial link)');
  if (pin === 18 || pin === 19) throw new MarkerPinError(profile.id, pin, 'is an I²C pin (A4 = SDA, A5 = SCL) used by the power sensor');
  const m = profile.mtj;
  if (m) {
    const used = [...(m.current.kind === 'pwm-rc' ? m.current.pins : []), m.pulse.pin, m.reset.pin, ...m.read.adcPins.map((ch) => 14 + ch)];
    if (used.includes(pin)) throw new MarkerPinError(profile.id, pin, 'is used by the MTJ wiring of the board profile');
  }
}

export async function measureTrainingPower(o: MeasuredTrainingOptions): Promise<MeasuredTraining> {
  const sensorSpec = o.profile.powerSensor;
  const address = o.address ?? sensorSpec?.i2cAddress ?? 0x40;
  const shuntOhm = o.shuntOhm ?? sensorSpec?.shuntOhm ?? 0.1;
  const portName = typeof o.port === 'string' ? o.port : o.port.path;
  if (sensorSpec && sensorSpec.kind !== 'ina219') throw new PowerSensorError(portName, address, `${sensorSpec.kind} is not supported yet (ina219 is)`);
  checkMarkerPin(o.profile, o.markerPin);
  if (!(Number.isInteger(o.samples) && o.samples > 0)) throw new RangeError(`samples: expected a positive integer, got ${o.samples}`);
  const { clock } = o;
  const board = await openFirmataBoard(o.port, clock, o.readyTimeoutS ?? 10);
  const trace = new PowerTrace();
  const engine = new SpintrainEngine(o.config, { kind: 'prng' });
  try {
    const sensor = new Ina219({ io: board.io, portName, address, shuntOhm, clock, samplingMs: o.samplingMs, linkLatencyS: o.linkLatencyS });
    await sensor.configure();
    const marker = new PhaseMarker({ io: board.io, pin: o.markerPin, clock, linkLatencyS: o.linkLatencyS });
    const dwellS = o.dwellS ?? 0;
    const hold = (t0: number): Promise<void> => (dwellS > 0 ? clock.delay(Math.max(0, t0 + dwellS - clock.now())) : new Promise((r) => setImmediate(r)));
    sensor.start((s) => {
      if (trace.length === 0 || s.tS >= trace.samples[trace.length - 1].tS) trace.push(s);
    });
    await clock.delay(o.baselineS ?? 0.1);
    marker.mark('sync');
    await clock.delay(o.syncS ?? 0.02);

    const split = engine.loadSplit(o.data.train);
    engine.resetCounters();
    // The first o.samples steps of `spintrain train` with this config and seed (marked-training.ts).
    const { correct } = await runMarkedSteps(engine, split, o.data.train.y, o.samples, o.config.seed, {
      forward: (k) => {
        const t0 = clock.now();
        marker.mark('forward', k);
        return () => hold(t0);
      },
      backward: (k) => {
        const t0 = clock.now();
        marker.mark('backward', k);
        return () => hold(t0);
      },
    });
    marker.mark('end');
    const ops = engine.counters();
    const testAccuracy = engine.evaluate(engine.loadSplit(o.data.test)) / o.data.test.n;
    // Tail: the readings stamped before 'end' arrive up to stampOffset + two intervals later.
    await clock.delay(sensor.stampOffsetS + (3 * sensor.samplingMs) / 1000);
    sensor.stop();
    const measured = measurePhaseEnergy(trace, marker.events, sensor.setup.conversionS);
    return {
      port: portName,
      boardId: o.profile.id,
      markerPin: o.markerPin,
      sensor: {
        kind: 'ina219',
        address,
        shuntOhm,
        ...sensor.setup,
        samplingMs: sensor.samplingMs,
        stampOffsetS: sensor.stampOffsetS,
      },
      trace,
      markers: marker.events,
      measured,
      ops,
      samples: o.samples,
      trainAccuracy: correct / o.samples,
      testAccuracy,
      config: o.config,
      dataset: o.data.name,
    };
  } finally {
    engine.freeSplits();
    await board.close();
  }
}
