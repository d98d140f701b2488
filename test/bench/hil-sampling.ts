/**
 * Samples per second through the HIL path: J5Mtj → johnny-five → firmata-io → emulated serial →
 * GENUINE StandardFirmata on avr8js → emulated MTJ circuit. Run: npx tsx test/bench/hil-sampling.ts
 * Prints bits/s in wall time and in emulated (= real-board) time, for a fixed current (no RC settling)
 * and for a new current every round (RC settling of the PWM filter each time), and a small HIL calibration.
 */
import { calibrate } from '../../host/device/calibration.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { startEmulatedUno } from '../harness/uno/emulated-uno.ts';

const hil = await startEmulatedUno({ seed: 3 });
const mtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
await mtj.open();
const n = mtj.deviceCount;

async function measure(label: string, rounds: number, currentOf: (r: number) => number) {
  const w0 = performance.now();
  const e0 = hil.emulator.timeS;
  let bits = 0;
  for (let r = 0; r < rounds; r++) {
    const req = Array.from({ length: n }, (_, device) => ({ device, currentA: currentOf(r) }));
    bits += (await mtj.sample(req)).length;
  }
  const wall = (performance.now() - w0) / 1000;
  const emu = hil.emulator.timeS - e0;
  console.log(`${label}: ${bits} bits, ${(bits / wall).toFixed(0)} bits/s wall, ${(bits / emu).toFixed(0)} bits/s emulated (real-board) time, ${(emu / rounds * 1e3).toFixed(2)} ms emulated per round of ${n}`);
}

await measure('fixed current, 4 devices per round', 200, () => 0.95e-3);
await measure('new current every round (80 ms RC settling)', 20, (r) => (r % 2 ? 0.9e-3 : 1.0e-3));
const w0 = performance.now();
const cal = await calibrate(mtj, { coarsePoints: 17, coarseDraws: 8, finePoints: 9, fineDraws: 40 });
console.log(`HIL calibration (17×8 coarse + 9×40 fine): ${((performance.now() - w0) / 1000).toFixed(1)} s wall`);
for (const d of cal.devices) {
  const b = hil.circuit.sim.logisticBridge(d.device);
  console.log(
    `  device ${d.device}: I50 ${(d.i50A * 1e6).toFixed(1)} µA (bridge ${(b.i50A * 1e6).toFixed(1)}), k ${(d.kPerA / 1e3).toFixed(1)}/mA (bridge ${(b.kPerA / 1e3).toFixed(1)}), max|p̂−σ| ${d.maxAbsError.toFixed(3)}`,
  );
}
await mtj.close();
hil.stop();
