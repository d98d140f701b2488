/**
 * Samples per second through the HIL path, for both firmwares on the emulated Uno: J5Mtj → johnny-five →
 * firmata-io → emulated serial → GENUINE StandardFirmata (plain Firmata path) or spintrain's own firmware
 * (MTJ_SAMPLE sysex fast path) on avr8js → emulated MTJ circuit.
 * Run: npx tsx test/bench/hil-sampling.ts [--record]   (--record writes test/bench/results/hil-sampling-<date>.json)
 *
 * Per firmware it prints bits/s in wall time and in emulated (= real-board) time for a fixed current (no RC
 * settling; one sample() call per round, and all rounds in one call) and for a new current every round (the profile's
 * RC settling each time), the serial traffic per bit against the link's capacity, and the calibration sweep.
 * The calibration sweep: the Uno carries 4 junctions and calibrates them in parallel (one round, or one request,
 * serves all 4), so a 16-junction sweep is measured as FOUR consecutive 4-junction calibrations on the board
 * (as four Unos calibrated one after another), their board times summed.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { calibrate, type CalibrationOptions } from '../../host/device/calibration.ts';
import { J5Mtj } from '../../host/device/j5-mtj.ts';
import { type EmulatedUno, startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import type { BoardProfile } from '../../boards/board-profile.ts';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { arduinoUnoSpintrain } from '../../boards/arduino-uno-spintrain.ts';

const { values } = parseArgs({ options: { record: { type: 'boolean' } } });
const SWEEP: Partial<CalibrationOptions> = { coarsePoints: 17, coarseDraws: 8, finePoints: 9, fineDraws: 40 };

/** Count the bytes on the wire each way. */
function tapLink(hil: EmulatedUno) {
  const c = { toBoard: 0, fromBoard: 0 };
  const write = hil.port.write.bind(hil.port);
  hil.port.write = (d, cb) => ((c.toBoard += d.length), write(d, cb));
  hil.port.on('data', (d: Buffer) => (c.fromBoard += d.length));
  return c;
}

async function benchFirmware(firmware: 'standard-firmata' | 'spintrain', profile: BoardProfile) {
  const BAUD = (profile.runtime as { baud: number }).baud;
  /** Bytes per second each way on the link: 10 bits per character (start, 8 data, stop). */
  const LINK_BYTES_PER_S = BAUD / 10;
  const settleMs = (profile.mtj!.current as { settleS: number }).settleS * 1e3;
  const hil = await startEmulatedUno({ seed: 3, firmware, profile });
  const link = tapLink(hil);
  const mtj = new J5Mtj({ profile: hil.profile, port: hil.port, clock: hil.clock });
  await mtj.open();
  const n = mtj.deviceCount;
  const result: Record<string, unknown> = { firmware, board: profile.id, baud: BAUD, settleS: settleMs / 1e3, samplingPath: mtj.samplingPath };
  console.log(`\n== ${firmware} on ${profile.id} (${mtj.samplingPath}, ${BAUD} baud, ${settleMs} ms settling) ==`);

  async function measure(key: string, label: string, rounds: number, perCall: number, currentOf: (r: number) => number) {
    const w0 = performance.now();
    const e0 = hil.emulator.timeS;
    const l0 = { ...link };
    let bits = 0;
    for (let r = 0; r < rounds; r += perCall) {
      const req = [];
      for (let k = r; k < Math.min(rounds, r + perCall); k++) for (let device = 0; device < n; device++) req.push({ device, currentA: currentOf(k) });
      bits += (await mtj.sample(req)).length;
    }
    const wall = (performance.now() - w0) / 1000;
    const emu = hil.emulator.timeS - e0;
    const toBoard = link.toBoard - l0.toBoard;
    const fromBoard = link.fromBoard - l0.fromBoard;
    const m = {
      bits,
      wallS: wall,
      emulatedS: emu,
      bitsPerSWall: bits / wall,
      bitsPerSEmulated: bits / emu,
      bytesPerBit: (toBoard + fromBoard) / bits,
      linkUseFromBoard: fromBoard / emu / LINK_BYTES_PER_S,
      linkUseToBoard: toBoard / emu / LINK_BYTES_PER_S,
    };
    result[key] = m;
    console.log(
      `${label}: ${bits} bits, ${m.bitsPerSWall.toFixed(0)} bits/s wall, ${m.bitsPerSEmulated.toFixed(0)} bits/s emulated (real-board) time, ` +
        `${((emu / rounds) * 1e3).toFixed(2)} ms emulated per round of ${n}; link ${m.bytesPerBit.toFixed(2)} B/bit, ` +
        `board→host ${(100 * m.linkUseFromBoard).toFixed(1)} %, host→board ${(100 * m.linkUseToBoard).toFixed(1)} % of ${BAUD} baud`,
    );
  }

  await measure('fixedPerRound', 'fixed current, one call per round of 4', 200, 1, () => 0.95e-3);
  await measure('fixedBatched', 'fixed current, 2000 rounds of 4 in one call', 2000, 2000, () => 0.95e-3);
  await measure('newCurrentEveryRound', `new current every round (${settleMs} ms RC settling)`, 20, 1, (r) => (r % 2 ? 0.9e-3 : 1.0e-3));

  async function sweep(key: string, label: string, options: Partial<CalibrationOptions>, times: number) {
    const w0 = performance.now();
    const e0 = hil.emulator.timeS;
    const l0 = { ...link };
    let cal;
    for (let k = 0; k < times; k++) cal = await calibrate(mtj, options);
    const wall = (performance.now() - w0) / 1000;
    const emu = hil.emulator.timeS - e0;
    const draws = times * n * ((options.coarsePoints ?? 33) * (options.coarseDraws ?? 16) + (options.finePoints ?? 21) * (options.fineDraws ?? 200));
    const s = { junctions: times * n, sweeps: times, options, draws, wallS: wall, emulatedS: emu, bytesPerBit: (link.toBoard - l0.toBoard + link.fromBoard - l0.fromBoard) / draws };
    result[key] = s;
    console.log(`${label}: ${emu.toFixed(2)} s emulated (real-board) time, ${wall.toFixed(1)} s wall, ${draws} draws, link ${s.bytesPerBit.toFixed(2)} B/bit`);
    return cal!;
  }
  const cal = await sweep('calibration16', `16-junction calibration (4 × the 4-junction sweep ${JSON.stringify(SWEEP)})`, SWEEP, 4);
  for (const d of cal.devices) {
    const b = hil.circuit.sim.logisticBridge(d.device);
    console.log(
      `  device ${d.device}: I50 ${(d.i50A * 1e6).toFixed(1)} µA (bridge ${(b.i50A * 1e6).toFixed(1)}), k ${(d.kPerA / 1e3).toFixed(1)}/mA (bridge ${(b.kPerA / 1e3).toFixed(1)}), max|p̂−σ| ${d.maxAbsError.toFixed(3)}`,
    );
  }
  await sweep('calibrationDefault4', '4-junction calibration, the default sweep (33×16 + 21×200)', {}, 1);
  if (hil.emulator.rxOverruns) throw new Error(`${hil.emulator.rxOverruns} receive overruns`);
  await mtj.close();
  hil.stop();
  return result;
}

const runs = [
  await benchFirmware('standard-firmata', arduinoUno),
  await benchFirmware('spintrain', arduinoUno),
  await benchFirmware('spintrain', arduinoUnoSpintrain),
];
const [sf, ...others] = runs as Record<string, { emulatedS: number; bitsPerSEmulated: number }>[];
for (const st of others) {
  console.log(
    `\nspintrain firmware on ${st.board} vs StandardFirmata on arduino-uno (board time): fixed current ×${(st.fixedBatched.bitsPerSEmulated / sf.fixedPerRound.bitsPerSEmulated).toFixed(1)}, ` +
      `16-junction calibration ×${(sf.calibration16.emulatedS / st.calibration16.emulatedS).toFixed(1)}, default 4-junction calibration ×${(sf.calibrationDefault4.emulatedS / st.calibrationDefault4.emulatedS).toFixed(1)}`,
  );
}
if (values.record) {
  const date = new Date().toISOString();
  const file = `test/bench/results/hil-sampling-${date.slice(0, 10)}.json`;
  writeFileSync(new URL(`../../${file}`, import.meta.url), JSON.stringify({ date, runs }, null, 1) + '\n');
  console.log(`recorded ${file}`);
}
