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
import type { BoardProfile, FirmataPins, PowerSensor } from '../../boards/board-profile.ts';
import { BoardProfileError } from '../device/errors.ts';
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
import { MarkerPinError, PowerSensorError } from './errors.ts';
import { PowerTrace } from './power-trace.ts';

export interface MeasuredTrainingOptions {
  port: string | SerialPortLike;
  clock: PowerClock;
  /** The board: a host-tethered Firmata profile with a power sensor (powerBoard). */
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

/**
 * The Firmata pin numbering of a board: digital pins 0..digitalPins − 1, the serial link's pins among
 * them, and analog channel c as digital pin analogBase + c. BoardProfile has no such field yet; until it
 * has, the numbering of the one board it is known for stands here, keyed by profile id (any other board
 * gets a BoardProfileError naming it and the field).
 */
/** What a power-measured run needs of a board profile, from the profile. */
export interface PowerBoard {
  profile: BoardProfile;
  sensor: PowerSensor;
  pins: FirmataPins;
  /** Serial link speed [bit/s] (the marker's and the sensor's stamps). */
  baud: number;
}

/**
 * The power-measurement facts of a profile: a host-tethered Firmata board (the host trains, the board's
 * supply is measured), with a power sensor and a known pin numbering. Otherwise a BoardProfileError
 * naming the board and the field at fault.
 */
export function powerBoard(profile: BoardProfile): PowerBoard {
  const fail = (field: string, reason: string): never => {
    throw new BoardProfileError(profile.id, field, reason);
  };
  const rt = profile.runtime;
  if (rt.kind !== 'host-tethered') return fail('runtime.kind', `is ${rt.kind}: spintrain power trains on the host and drives a host-tethered board over Firmata`);
  const sensor = profile.powerSensor ?? fail('powerSensor', 'is missing: spintrain power reads the supply through the profile\'s power sensor (kind, I²C address, SDA/SCL pins, shunt)');
  const pins = profile.firmataPins ?? fail('firmataPins', 'is missing: the marker pin is checked against the board\'s Firmata pin numbering (digital pins, serial pins, first analog pin), which the profile does not give');
  return { profile, sensor, pins, baud: rt.baud };
}

/** A pin of the profile (a number, or "A<c>": analog channel c) as its Firmata digital pin. */
function digitalPin(board: PowerBoard, pin: number | string, field: string): number {
  if (typeof pin === 'number') return pin;
  const m = /^A(\d+)$/.exec(pin);
  if (!m) throw new BoardProfileError(board.profile.id, field, `must be a pin number or A<channel>, got ${JSON.stringify(pin)}`);
  return board.pins.analogBase + Number(m[1]);
}

/** Digital pins the marker may use: not the serial pins, the power sensor's I²C pins or the MTJ wiring. */
export function checkMarkerPin(profile: BoardProfile, pin: number): void {
  const board = powerBoard(profile);
  const { digitalPins, serialPins, analogBase } = board.pins;
  let first = 0;
  while (serialPins.includes(first)) first++;
  if (!Number.isInteger(pin) || pin < 0 || pin >= digitalPins || serialPins.includes(pin)) {
    throw new MarkerPinError(profile.id, pin, `must be a digital pin ${first}–${digitalPins - 1} (${serialPins.join('/')} carry the serial link)`);
  }
  const { sdaPin, sclPin } = board.sensor;
  if (pin === digitalPin(board, sdaPin, 'powerSensor.sdaPin') || pin === digitalPin(board, sclPin, 'powerSensor.sclPin')) {
    throw new MarkerPinError(profile.id, pin, `is an I²C pin (${sdaPin} = SDA, ${sclPin} = SCL) used by the power sensor`);
  }
  const m = profile.mtj;
  if (m) {
    const used = [...(m.current.kind === 'pwm-rc' ? m.current.pins : []), m.pulse.pin, m.reset.pin, ...m.read.adcPins.map((ch) => analogBase + ch)];
    if (used.includes(pin)) throw new MarkerPinError(profile.id, pin, 'is used by the MTJ wiring of the board profile');
  }
}

export async function measureTrainingPower(o: MeasuredTrainingOptions): Promise<MeasuredTraining> {
  const { sensor: sensorSpec, baud } = powerBoard(o.profile);
  const address = o.address ?? sensorSpec.i2cAddress;
  const shuntOhm = o.shuntOhm ?? sensorSpec.shuntOhm;
  const portName = typeof o.port === 'string' ? o.port : o.port.path;
  if (sensorSpec.kind !== 'ina219') throw new PowerSensorError(portName, address, `${sensorSpec.kind} is not supported yet (ina219 is)`);
  checkMarkerPin(o.profile, o.markerPin);
  if (!(Number.isInteger(o.samples) && o.samples > 0)) throw new RangeError(`samples: expected a positive integer, got ${o.samples}`);
  const { clock } = o;
  const board = await openFirmataBoard(o.port, clock, o.readyTimeoutS ?? 10, baud);
  const trace = new PowerTrace();
  const engine = new SpintrainEngine(o.config, { kind: 'prng' });
  try {
    const sensor = new Ina219({ io: board.io, portName, address, shuntOhm, clock, samplingMs: o.samplingMs, baud, linkLatencyS: o.linkLatencyS });
    await sensor.configure();
    const marker = new PhaseMarker({ io: board.io, pin: o.markerPin, clock, baud, linkLatencyS: o.linkLatencyS });
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
