/**
 * XOR trained with p-GAF-BP through the HIL path, for both firmwares on the emulated Uno: every draw from
 * J5Mtj → johnny-five → firmata-io → emulated serial → GENUINE StandardFirmata (plain Firmata path) or
 * spintrain's own firmware (MTJ_SAMPLE sysex fast path) on avr8js → emulated MTJ circuit, after a short
 * calibration through the same path. Three runs: StandardFirmata and spintrain's firmware on the arduino-uno
 * board (490 Hz filter, 90 ms settling, 57600 baud), and spintrain's firmware on the arduino-uno-spintrain
 * board (31.37 kHz PWM filter, 1.6 ms settling, 250000 baud). Prints accuracy, draws, bits/s and samples/s in wall and emulated
 * (= real-board) time, and the serial traffic per bit against the link's capacity.
 * Run: npx tsx test/bench/hil-xor.ts [seeds] [maxEpochs] [--record] [--only BOARD_ID]
 *   seeds: one seed or a list ("1,2,3"); every run is repeated per seed (the recipe reaches 100 % on most seeds,
 *   not all: test/harness/hil-xor-recipe.ts)
 *   (--record writes test/bench/results/hil-xor-<date>.json)
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { calibrate } from '../../host/device/calibration.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { MtjBitSource } from '../../host/device/mtj-bit-source.ts';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { arduinoUnoSpintrain } from '../../boards/arduino-uno-spintrain.ts';
import { HIL_CALIBRATION_SWEEP, HIL_XOR_TRAIN_ARGS } from '../harness/hil-xor-recipe.ts';
import { train } from '../../host/train/trainer.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';

const { values, positionals } = parseArgs({ options: { record: { type: 'boolean' }, only: { type: 'string' } }, allowPositionals: true });
const seeds = String(positionals[0] ?? 1).split(',').map(Number);
const maxEpochs = Number(positionals[1] ?? 40);

async function benchFirmware(firmware: 'standard-firmata' | 'spintrain', profile: BoardProfile, seed: number) {
  const baud = (profile.runtime as { baud: number }).baud;
  /** Bytes per second each way on the link: 10 bits per character (start, 8 data, stop). */
  const LINK_BYTES_PER_S = baud / 10;
  const w0 = performance.now();
  const hil = await startEmulatedUno({ seed, firmware, profile });
  const link = { toBoard: 0, fromBoard: 0 };
  const write = hil.port.write.bind(hil.port);
  hil.port.write = (d, cb) => ((link.toBoard += d.length), write(d, cb));
  hil.port.on('data', (d: Buffer) => (link.fromBoard += d.length));
  const mtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
  await mtj.open();
  console.log(`\n== ${firmware} on ${profile.id} (${mtj.samplingPath}, ${baud} baud) ==`);
  const wBoot = performance.now();
  const eBoot = hil.emulator.timeS;
  const cal = await calibrate(mtj, { ...HIL_CALIBRATION_SWEEP, seed });
  const wCal = performance.now();
  const eCal = hil.emulator.timeS;
  console.log(`boot: ${((wBoot - w0) / 1000).toFixed(1)} s wall, ${eBoot.toFixed(1)} s emulated`);
  console.log(`calibration (${JSON.stringify(HIL_CALIBRATION_SWEEP)}): ${((wCal - wBoot) / 1000).toFixed(1)} s wall, ${(eCal - eBoot).toFixed(2)} s emulated`);
  for (const d of cal.devices) {
    const b = hil.circuit.sim.logisticBridge(d.device);
    console.log(`  device ${d.device}: I50 ${(d.i50A * 1e6).toFixed(1)} µA (physics ${(b.i50A * 1e6).toFixed(1)}), k ${(d.kPerA / 1e3).toFixed(1)}/mA (physics ${(b.kPerA / 1e3).toFixed(1)})`);
  }

  const { dataset, config } = parseTrainArgs([...HIL_XOR_TRAIN_ARGS, '--seed', String(seed)]);
  const engine = new SpintrainEngine(config, { kind: 'host', source: new MtjBitSource(mtj, cal), via: 'buffer' });
  // Epoch by epoch until the four points are classified correctly (at most maxEpochs).
  let draws = 0;
  let samples = 0;
  let wallTrain = 0;
  let accuracy = 0;
  let epochs = 0;
  const eTrain0 = hil.emulator.timeS;
  const l0 = { ...link };
  const pulses0 = hil.circuit.pulses;
  for (let e = 0; e < maxEpochs && accuracy < 1; e++) {
    const r = await train(dataset, config, { epochs: e + 1, startEpoch: e, engine });
    draws += r.ops.activationGradient.draws;
    samples += r.samples;
    wallTrain += r.trainSeconds;
    accuracy = r.testAccuracy;
    epochs = e + 1;
  }
  const eTrain = hil.emulator.timeS - eTrain0;
  const toBoard = link.toBoard - l0.toBoard;
  const fromBoard = link.fromBoard - l0.fromBoard;
  const run = {
    firmware,
    board: profile.id,
    baud,
    samplingPath: mtj.samplingPath,
    seed,
    calibration: { options: HIL_CALIBRATION_SWEEP, emulatedS: eCal - eBoot, wallS: (wCal - wBoot) / 1000 },
    layout: config.layout,
    accuracy,
    epochs,
    samples,
    draws,
    pulses: hil.circuit.pulses - pulses0,
    wallS: wallTrain,
    emulatedS: eTrain,
    bitsPerSWall: draws / wallTrain,
    bitsPerSEmulated: draws / eTrain,
    samplesPerSEmulated: samples / eTrain,
    bytesPerBit: (toBoard + fromBoard) / draws,
    linkUseFromBoard: fromBoard / eTrain / LINK_BYTES_PER_S,
    linkUseToBoard: toBoard / eTrain / LINK_BYTES_PER_S,
    sysexRequests: mtj.sysexTraffic?.requests ?? null,
  };
  console.log(`XOR ${config.layout.join('-')} ${config.activation}: ${(100 * accuracy).toFixed(0)}% after ${epochs} epochs (${samples} samples, ${draws} draws, ${run.pulses} pulses)`);
  console.log(`  wall: ${wallTrain.toFixed(1)} s, ${run.bitsPerSWall.toFixed(0)} bits/s, ${(samples / wallTrain).toFixed(2)} samples/s`);
  console.log(`  emulated: ${eTrain.toFixed(2)} s, ${run.bitsPerSEmulated.toFixed(0)} bits/s, ${run.samplesPerSEmulated.toFixed(2)} samples/s`);
  console.log(
    `  link: ${run.bytesPerBit.toFixed(2)} B/bit on the wire; board→host ${(100 * run.linkUseFromBoard).toFixed(1)} %, host→board ${(100 * run.linkUseToBoard).toFixed(1)} % of ${baud} baud` +
      (run.sysexRequests !== null ? `; ${run.sysexRequests} MTJ_SAMPLE requests` : ''),
  );
  console.log(`total ${((performance.now() - w0) / 1000).toFixed(1)} s wall`);
  if (hil.emulator.rxOverruns) throw new Error(`${hil.emulator.rxOverruns} receive overruns`);
  await mtj.close();
  hil.stop();
  return run;
}

const plan = [
  ['standard-firmata', arduinoUno],
  ['spintrain', arduinoUno],
  ['spintrain', arduinoUnoSpintrain],
] as const;
const runs = [];
for (const seed of seeds) for (const [firmware, profile] of plan) if (!values.only || values.only === profile.id) runs.push(await benchFirmware(firmware, profile, seed));
if (runs.length === 3) console.log(
  `\nbits/s while training XOR (board time): StandardFirmata ${runs[0].bitsPerSEmulated.toFixed(0)}, ` +
    `spintrain firmware ${runs[1].bitsPerSEmulated.toFixed(0)} (arduino-uno), ${runs[2].bitsPerSEmulated.toFixed(0)} (arduino-uno-spintrain)`,
);
if (values.record) {
  const date = new Date().toISOString();
  const file = `test/bench/results/hil-xor-${date.slice(0, 10)}.json`;
  writeFileSync(new URL(`../../${file}`, import.meta.url), JSON.stringify({ date, seeds, maxEpochs, runs }, null, 1) + '\n');
  console.log(`recorded ${file}`);
}
