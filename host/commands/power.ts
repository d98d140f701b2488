/**
 * `spintrain power --port PATH [--sensor ina219] [--address 0x40] [--marker-pin N] [--out RUN_DIR] [train options]`
 * Trains on the host while measuring the board's supply with an INA219 on its I²C bus (johnny-five /
 * StandardFirmata), marking each sample's forward and backward phases on a pin; prints energy per sample
 * and per phase, average power, and the model's estimate; with --out writes the run directory (run.json,
 * power.json, power.csv) and its report.html. Training options are those of `spintrain train`
 * (default --dataset iris); --samples limits the measured samples.
 */
import { findBoard } from '../../boards/index.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import type { SerialPortLike } from '../device/firmata-link.ts';
import { keptFraction, backwardMulAdd } from '../engine/counters.ts';
import { SpintrainEngine } from '../engine/wasm-engine.ts';
import type { NetworkConfig } from '../engine/config.ts';
import { compareWithMeasurement, estimateEnergy } from '../power/energy-estimate.ts';
import { measureTrainingPower, powerBoard, type MeasuredTraining } from '../power/measured-training.ts';
import { type PowerClock, wallPowerClock } from '../power/power-clock.ts';
import { RUN_SCHEMA, writePowerMeasurement, writeRunRecord, type RunRecord } from '../report/run-dir.ts';
import { writeReport } from '../report/write-report.ts';
import { moduleStep, runEpochPlan } from '../train/epoch-plan.ts';
import type { Dataset } from '../data/index.ts';
import { CliError, choiceOption, numberOption } from './errors.ts';
import { parseTrainArgs, TRAIN_OPTIONS, TRAIN_USAGE } from './train.ts';
import { parseOptions, pathOption } from './parse-options.ts';
import { assertSerialPortPath } from '../device/serial-port-path.ts';
import { AUTO_PORT, resolvePortPath } from '../device/find-firmata-board.ts';

export const POWER_USAGE = `spintrain power [--port PATH|auto] [options] [training options of spintrain train]
  --port PATH|auto           serial port of the board (StandardFirmata); default auto: the one
                             listed port that answers Firmata (see spintrain ports)
  --board uno                board profile (default uno): a host-tethered Firmata board with a power sensor
  --sensor ina219            power sensor kind (default ina219)
  --address 0x40             its I²C address (default the board profile's, 0x40)
  --shunt OHM                its shunt resistor (default the board profile's, 0.1 Ω)
  --marker-pin N             digital pin marking the phases: LOW forward, HIGH backward+update (default 7)
  --samples N                training samples to measure (default 200)
  --sampling-ms MS           sensor reporting interval (default 10; StandardFirmata polls I²C no faster)
  --dwell-ms MS              hold each phase at least this long so the sensor resolves it (default 50)
  --link-latency-ms MS       one-way latency of a USB-serial bridge, subtracted from the stamps (default 0)
  --out RUN_DIR              write run.json, power.json, power.csv and report.html
training options (those of spintrain train; here --dataset defaults to iris):
${TRAIN_USAGE.split('\n').slice(1).join('\n').replace('(default mnist;', '(default iris for power;')}`;

export const POWER_OPTION_CONFIG = {
  port: { type: 'string' },
  board: { type: 'string' },
  sensor: { type: 'string' },
  address: { type: 'string' },
  shunt: { type: 'string' },
  'marker-pin': { type: 'string' },
  samples: { type: 'string' },
  'sampling-ms': { type: 'string' },
  'dwell-ms': { type: 'string' },
  'link-latency-ms': { type: 'string' },
  out: { type: 'string' },
} as const;
const POWER_OPTIONS = Object.keys(POWER_OPTION_CONFIG);

/** `connect` resolves a port path to a serial-port-like link and its clock (the emulated Uno in tests). */
export async function powerCommand(argv: string[], connect?: (path: string) => { port: SerialPortLike; clock: PowerClock } | undefined): Promise<number> {
  // Every option is checked once over both sets (unknown, repeated, missing value: CliError naming it);
  // then ours are split from the training ones (handed to parseTrainArgs).
  const { values } = parseOptions(argv, { ...TRAIN_OPTIONS, ...POWER_OPTION_CONFIG });
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '').split('=')[0];
    if (argv[i].startsWith('--') && POWER_OPTIONS.includes(name)) {
      if (!argv[i].includes('=')) i++; // its value (parseOptions checked that there is one)
    } else rest.push(argv[i]);
  }
  values.port ??= AUTO_PORT;
  if (values.port.trim() === '') throw new CliError('--port', 'expected auto or the path of a serial port, got ""');
  choiceOption('--sensor', values.sensor, ['ina219'] as const, 'ina219');
  const address = values.address === undefined ? undefined : parseAddress(values.address);
  if (!rest.some((a) => a === '--dataset' || a.startsWith('--dataset='))) rest.push('--dataset', 'iris');
  const job = parseTrainArgs(rest, 'power');
  if (job.device.kind !== 'prng') throw new CliError('--device', 'spintrain power draws from the module generator; --device is not supported here');
  // Training options power has no use for are refused, never silently ignored.
  for (const o of ['epochs', 'compare', 'save', 'checkpoint', 'resume', 'report', 'teacher', 'validation']) {
    if (job.given.has(o)) throw new CliError(`--${o}`, 'is not used by spintrain power (it measures --samples training steps; --out writes its run directory)');
  }
  const samples = numberOption('--samples', values.samples, 200, 1, 1e6, true);
  const profile = powerProfile(values.board);
  const options = {
    profile,
    address,
    shuntOhm: values.shunt === undefined ? undefined : numberOption('--shunt', values.shunt, 0.1, 1e-4, 100),
    markerPin: numberOption('--marker-pin', values['marker-pin'], 7, 0, powerBoard(profile).pins.digitalPins - 1, true),
    data: job.dataset,
    config: job.config,
    samples,
    samplingMs: numberOption('--sampling-ms', values['sampling-ms'], 10, 1, 1000),
    dwellS: numberOption('--dwell-ms', values['dwell-ms'], 50, 0, 10000) / 1000,
    linkLatencyS: numberOption('--link-latency-ms', values['link-latency-ms'], 0, 0, 1000) / 1000,
  };
  const out = pathOption('--out', values.out);
  // a connector given by the caller (the emulated Uno in tests) takes the option as it is, auto included
  const port = connect ? values.port : await resolvePortPath(values.port, { log: job.json ? undefined : (s) => process.stdout.write(s + '\n'), baud: powerBoard(profile).baud });
  const link = connect?.(port);
  if (!link) assertSerialPortPath(port, { option: '--port' }); // exit 1 naming the port, before the driver sees it
  const m = await measureTrainingPower({ ...options, port: link?.port ?? port, clock: link?.clock ?? wallPowerClock });
  const est = estimateEnergy(m.ops, m.samples, profile);
  const cmp = compareWithMeasurement(est, m.measured);
  const stdout = job.json ? null : process.stdout;
  const mm = m.measured;
  if (job.json) process.stdout.write(JSON.stringify({ measured: mm, estimated: est, comparison: cmp, sensor: m.sensor }) + '\n');
  else {
    const uj = (j: number) => `${(j * 1e6).toFixed(3)} µJ`;
    stdout!.write(
      [
        `measured ${m.samples} training samples on ${m.port}: ${m.trace.length} readings, INA219 0x${m.sensor.address.toString(16)}`,
        `average power     ${(mm.averagePowerW * 1e3).toFixed(2)} mW (idle ${mm.idlePowerW === null ? '–' : (mm.idlePowerW * 1e3).toFixed(2) + ' mW'})`,
        `per sample        ${uj(mm.perSampleJ)} (forward ${uj(mm.phases.forward.perSampleJ)}, backward+update ${uj(mm.phases.backward.perSampleJ)})`,
        `model estimate    ${uj(cmp.total.estimatedJ)} per sample (error vs measured ${cmp.basis}: ${(100 * cmp.total.error).toFixed(1)} %)`,
      ].join('\n') + '\n',
    );
  }
  if (out) {
    await writeRunRecord(out, await runRecordOf(m, job.dataset, job.config));
    await writePowerMeasurement(out, m);
    const report = await writeReport(out);
    if (!job.json) process.stdout.write(`wrote ${out} (report ${report})\n`);
  }
  return 0;
}

/** The --board profile (boards/index.ts), checked for what a power-measured run needs of it (exit 2 naming the board and the field). */
function powerProfile(name = 'uno'): BoardProfile {
  try {
    const profile = findBoard(name);
    powerBoard(profile);
    return profile;
  } catch (e) {
    throw new CliError('--board', (e as Error).message);
  }
}

function parseAddress(raw: string): number {
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0x08 || v > 0x77) throw new CliError('--address', `expected a 7-bit I²C address 0x08–0x77, got "${raw}"`);
  return v;
}

/** run.json of a measured run: the measured samples, plus the other algorithm's counters on the same samples. */
async function runRecordOf(m: MeasuredTraining, data: Dataset, config: NetworkConfig): Promise<RunRecord> {
  const other = config.algorithm === 'bp' ? 'pgaf' : 'bp';
  const otherConfig: NetworkConfig = { ...config, algorithm: other };
  const engine = new SpintrainEngine(otherConfig, { kind: 'prng' });
  const split = engine.loadSplit(data.train);
  engine.resetCounters();
  // The measured run's schedule (marked-training.ts): each epoch reshuffled and set, counters summed over the samples.
  const plan = { seed: config.seed, n: split.n, epochs: Math.ceil(m.samples / split.n), samples: m.samples, epochStart: 'set-epoch' } as const;
  await runEpochPlan(engine, plan, moduleStep(engine, split));
  const otherOps = engine.counters();
  engine.freeSplits();
  const kept = keptFraction(m.ops);
  return {
    schema: RUN_SCHEMA,
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    boardId: m.boardId,
    testAccuracy: m.testAccuracy,
    trainAccuracy: m.trainAccuracy,
    epochs: 1,
    samples: m.samples,
    trainSeconds: m.measured.spanS,
    samplesPerSecond: m.samples / m.measured.spanS,
    planBytes: 0,
    ops: m.ops,
    keptFraction: kept,
    backwardOpsPerSample: backwardMulAdd(m.ops) / m.samples,
    perEpoch: [{ epoch: 0, trainAccuracy: m.trainAccuracy, testAccuracy: m.testAccuracy, seconds: m.measured.spanS, keptFraction: kept }],
    config: { ...config, dataset: data.name, device: 'prng' },
    curve: [],
    perEpochOps: [m.ops],
    compare: { algorithm: other, ops: otherOps, samples: m.samples },
  };
}
