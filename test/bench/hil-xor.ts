/**
 * XOR trained with p-GAF-BP through the HIL path: every draw from J5Mtj → johnny-five → firmata-io →
 * emulated serial → GENUINE StandardFirmata on avr8js → emulated MTJ circuit, after a short calibration
 * through the same path. Prints accuracy, draws, bits/s and samples/s in wall and emulated (= real-board) time.
 * Run: npx tsx test/bench/hil-xor.ts [seed] [maxEpochs]
 */
import { calibrate } from '../../host/device/calibration.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { MtjBitSource } from '../../host/device/mtj-bit-source.ts';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { HIL_CALIBRATION_SWEEP, HIL_XOR_TRAIN_ARGS } from '../harness/hil-xor-recipe.ts';
import { train } from '../../host/train/trainer.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';

const seed = Number(process.argv[2] ?? 1);
const maxEpochs = Number(process.argv[3] ?? 40);
const w0 = performance.now();
const hil = await startEmulatedUno({ seed });
const mtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
await mtj.open();
const wBoot = performance.now();
const eBoot = hil.emulator.timeS;
const cal = await calibrate(mtj, { ...HIL_CALIBRATION_SWEEP, seed });
const wCal = performance.now();
const eCal = hil.emulator.timeS;
console.log(`boot: ${((wBoot - w0) / 1000).toFixed(1)} s wall, ${eBoot.toFixed(1)} s emulated`);
console.log(`calibration (${JSON.stringify(HIL_CALIBRATION_SWEEP)}): ${((wCal - wBoot) / 1000).toFixed(1)} s wall, ${(eCal - eBoot).toFixed(1)} s emulated`);
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
for (let e = 0; e < maxEpochs && accuracy < 1; e++) {
  const r = await train(dataset, config, { epochs: e + 1, startEpoch: e, engine });
  draws += r.ops.activationGradient.draws;
  samples += r.samples;
  wallTrain += r.trainSeconds;
  accuracy = r.testAccuracy;
  epochs = e + 1;
}
const eTrain = hil.emulator.timeS - eTrain0;
console.log(`XOR ${config.layout.join('-')} ${config.activation}: ${(100 * accuracy).toFixed(0)}% after ${epochs} epochs (${samples} samples, ${draws} draws)`);
console.log(`  wall: ${wallTrain.toFixed(1)} s, ${(draws / wallTrain).toFixed(0)} bits/s, ${(samples / wallTrain).toFixed(2)} samples/s`);
console.log(`  emulated: ${eTrain.toFixed(1)} s, ${(draws / eTrain).toFixed(0)} bits/s, ${(samples / eTrain).toFixed(2)} samples/s`);
console.log(`total ${((performance.now() - w0) / 1000).toFixed(1)} s wall`);
await mtj.close();
hil.stop();
