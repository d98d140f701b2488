/**
 * The MTJ_SAMPLE sysex command of spintrain's Uno firmware (boards/firmware/uno/spintrain_protocol.h) on the
 * emulated Uno with the emulated MTJ board: statistics against the circuit's SimMtj, the mask, the count,
 * settling, malformed requests, and the throughput in emulated board time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirmataLink, openFirmataLink } from '../../host/device/firmata-link.ts';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { arduinoUnoSpintrain } from '../../boards/arduino-uno-spintrain.ts';
import { type EmulatedUno, startEmulatedUno } from '../harness/uno/emulated-uno.ts';
import { skipReason } from '../setup/tool-list.ts';
import { MTJ_MAX_COUNT, MTJ_STATUS, MtjSysexClient } from './mtj-sample-sysex.ts';

const skip = skipReason(['avrGcc', 'avrLibc', 'arduinoCoreAvr']);
/** The target while training XOR, and the genuine StandardFirmata's rate today [bits/s]. */
const TARGET_BITS_PER_S = 2000;
const STANDARD_FIRMATA_BITS_PER_S = 115;

describe.skipIf(skip).each([
  ['arduino-uno: 57600 baud, 490 Hz filter board', arduinoUno],
  ['arduino-uno-spintrain: 250000 baud, fast filter board', arduinoUnoSpintrain],
] as const)('MTJ_SAMPLE sysex (spintrain firmware, emulated Uno + MTJ board) on %s', (_, profile) => {
  let hil: EmulatedUno;
  let link: FirmataLink;
  let mtj: MtjSysexClient;
  const fullScaleA = 2e-3;
  const dutyCurrentA = (duty: number) => (duty / 255) * fullScaleA;
  /** Half a PWM step of current: what the settled filter's ripple and residue must stay under. */
  const halfLsbA = fullScaleA / 255 / 2;

  /** A request timed in board time: the reply and the emulated seconds from sending to its F7. */
  async function timed(mask: number, duties: number[], count: number) {
    const t0 = hil.emulator.timeS;
    const reply = await mtj.sample(mask, duties, count);
    return { reply, seconds: hil.emulator.timeS - t0 };
  }

  beforeAll(async () => {
    // 50 µs chunks: request timings below resolve to 50 µs of board time (the default 0.5 ms would blur a 1.6 ms settling)
    hil = await startEmulatedUno({ firmware: 'spintrain', seed: 31, profile, chunkS: 50e-6 });
    link = await openFirmataLink({ port: hil.port, clock: hil.clock, baud: (profile.runtime as { baud: number }).baud });
    mtj = new MtjSysexClient(link, hil.clock, (profile.mtj!.current as { settleS: number }).settleS);
  });

  afterAll(async () => {
    await link?.close();
    hil?.stop();
  });

  it('the fraction of ones over N draws matches the circuit’s P(I) per junction within 4σ', async () => {
    const sim = hil.circuit.sim;
    const widthS = hil.profile.mtj!.pulse.widthS;
    // a duty per junction whose switching probability is nearest a target: 0.2, 0.5, 0.8, 0.5
    const targets = [0.2, 0.5, 0.8, 0.5];
    const duties = targets.map((target, d) => {
      let best = 0;
      for (let duty = 0; duty <= 255; duty++) {
        const err = (k: number) => Math.abs(sim.switchingProbability(d, dutyCurrentA(k), widthS) - target);
        if (err(duty) < err(best)) best = duty;
      }
      return best;
    });
    const n = 2000;
    const pulses0 = hil.circuit.pulses;
    const resets0 = hil.circuit.resets;
    const { reply, seconds } = await timed(0b1111, duties, n);
    expect(reply.status).toBe(MTJ_STATUS.ok);
    expect(reply).toMatchObject({ mask: 0b1111, count: n, flags: 1 }); // the duties changed: settled
    expect(seconds).toBeGreaterThanOrEqual(hil.profile.mtj!.current.kind === 'pwm-rc' ? hil.profile.mtj!.current.settleS : 0);
    expect(reply.bits.length).toBe(4 * n);
    expect(reply.packed.length).toBe(Math.ceil((4 * n) / 7));
    expect(hil.circuit.pulses - pulses0).toBe(n);
    expect(hil.circuit.resets - resets0).toBe(n + 1); // one before the first draw, one after each
    for (let d = 0; d < 4; d++) {
      // the current the circuit sees (the filter's output now, ripple included) is the requested duty's
      expect(Math.abs(hil.circuit.currentA(d) - dutyCurrentA(duties[d]))).toBeLessThan(halfLsbA);
      // P at the duty's mean current: the filter's ripple moves each pulse's current a little (under ½ LSB) around it
      const p = sim.switchingProbability(d, dutyCurrentA(duties[d]), widthS);
      let k = 0;
      for (let t = 0; t < n; t++) k += reply.bits[4 * t + d];
      const tol = 4 * Math.sqrt(n * p * (1 - p)) + 1;
      console.log(`junction ${d}: duty ${duties[d]}, P(I) = ${p.toFixed(3)}, ${k}/${n} ones = ${(k / n).toFixed(3)} (±${(tol / n).toFixed(3)})`);
      expect(Math.abs(k - n * p)).toBeLessThanOrEqual(tol);
    }
  });

  it('the mask selects the junctions (ascending, draw-major) and leaves the others’ currents alone', async () => {
    let r = await mtj.sample(0b0101, [255, 0], 50);
    expect(r.status).toBe(MTJ_STATUS.ok);
    expect(r.bits.length).toBe(100);
    expect(Array.from(r.bits).join('')).toBe('10'.repeat(50)); // junction 0 at full scale, junction 2 at 0
    r = await mtj.sample(0b1010, [0, 255], 30);
    expect(Array.from(r.bits).join('')).toBe('01'.repeat(30));
    expect(r.packed.length).toBe(Math.ceil(60 / 7));
    // junction 2 alone: junctions 0, 1 and 3 keep the duties set above. Duty 255 straight after duty 0 (the pin
    // goes from held LOW to held HIGH): after the settling the request asks for, the filter is at full scale.
    r = await mtj.sample(0b0100, [255], 21);
    expect(Array.from(r.bits).join('')).toBe('1'.repeat(21));
    expect(r.packed).toEqual([0x7f, 0x7f, 0x7f]);
    await hil.clock.delay(0.01);
    expect(Math.abs(hil.circuit.currentA(0) - fullScaleA)).toBeLessThan(halfLsbA);
    expect(Math.abs(hil.circuit.currentA(1))).toBeLessThan(halfLsbA);
    expect(Math.abs(hil.circuit.currentA(3) - fullScaleA)).toBeLessThan(halfLsbA);
  });

  it(`count: exactly count draws; 1 and ${MTJ_MAX_COUNT} accepted, 0 and ${MTJ_MAX_COUNT + 1} refused with status COUNT`, async () => {
    let pulses = hil.circuit.pulses;
    let r = await mtj.sample(0b0001, [255], 1);
    expect(r.bits.length).toBe(1);
    expect(r.packed).toEqual([1]);
    expect(hil.circuit.pulses - pulses).toBe(1);
    pulses = hil.circuit.pulses;
    r = await mtj.sample(0b0001, [255], MTJ_MAX_COUNT);
    expect(r.status).toBe(MTJ_STATUS.ok);
    expect(r.count).toBe(MTJ_MAX_COUNT);
    expect(r.bits.every((b) => b === 1)).toBe(true);
    expect(hil.circuit.pulses - pulses).toBe(MTJ_MAX_COUNT);
    pulses = hil.circuit.pulses;
    expect((await mtj.sample(0b0001, [255], 0)).status).toBe(MTJ_STATUS.count);
    expect((await mtj.sample(0b0001, [255], MTJ_MAX_COUNT + 1)).status).toBe(MTJ_STATUS.count);
    expect(hil.circuit.pulses).toBe(pulses);
  });

  it('waits for the RC filter only when a duty changed', async () => {
    const settleS = (hil.profile.mtj!.current as { settleS: number }).settleS;
    const first = await timed(0b0011, [100, 120], 10);
    expect(first.reply.flags & 1).toBe(1);
    expect(first.seconds).toBeGreaterThanOrEqual(settleS);
    const same = await timed(0b0011, [100, 120], 10);
    expect(same.reply.flags & 1).toBe(0);
    expect(same.seconds).toBeLessThan(first.seconds - 0.99 * settleS);
    const changed = await timed(0b0011, [100, 121], 10);
    expect(changed.reply.flags & 1).toBe(1);
    expect(changed.seconds).toBeGreaterThanOrEqual(settleS);
    // the same bytes and draws: the changed request costs the settling on top
    expect(changed.seconds - same.seconds).toBeGreaterThanOrEqual(0.99 * settleS);
    expect(changed.seconds - same.seconds).toBeLessThan(settleS + 1e-3);
  });

  it('malformed requests get an error reply (no hang, nothing sampled) and the board keeps serving', async () => {
    const pulses = hil.circuit.pulses;
    const status = async (payload: number[]) => {
      mtj.sendRaw(payload);
      const reply = await mtj.nextReply(1);
      expect(reply.length).toBe(1); // F0 01 status F7
      return reply[0];
    };
    expect(await status([0x01])).toBe(MTJ_STATUS.length); // no mask, no count
    expect(await status([0x01, 0b0001, 10, 0, 100, 0])).toBe(MTJ_STATUS.length); // no settle field (firmware 0.1's format)
    expect(await status([0x01, 0b0011, 10, 0, 0, 0, 100, 0])).toBe(MTJ_STATUS.length); // two junctions, one duty
    expect(await status([0x01, 0b0001, 10, 0, 0, 0, 100, 0, 5])).toBe(MTJ_STATUS.length); // a stray byte
    expect(await status([0x01, 0, 10, 0, 0, 0])).toBe(MTJ_STATUS.mask);
    expect(await status([0x01, 0x10, 10, 0, 0, 0, 100, 0])).toBe(MTJ_STATUS.mask); // junction 4 does not exist
    expect(await status(MtjSysexClient.request(0b0001, [256], 10, mtj.settleS))).toBe(MTJ_STATUS.duty);
    expect(await status([0x01, ...new Array(80).fill(0x01)])).toBe(MTJ_STATUS.length); // longer than the sysex buffer
    // cut short by a command byte (REPORT_VERSION): an INTERRUPTED reply, then the version reply
    const version = new Promise<void>((resolve) => link.io.reportVersion!(() => resolve()));
    hil.port.write(Buffer.from([0xf0, 0x01, 0b0001, 10]));
    hil.port.write(Buffer.from([0xf9]));
    expect((await mtj.nextReply(1))[0]).toBe(MTJ_STATUS.interrupted);
    await version;
    expect(hil.circuit.pulses).toBe(pulses);
    const r = await mtj.sample(0b0001, [255], 5);
    expect(Array.from(r.bits)).toEqual([1, 1, 1, 1, 1]);
    expect(hil.emulator.rxOverruns).toBe(0);
  });

  it(`throughput in board time at a fixed current: ≥ ${TARGET_BITS_PER_S} bits/s (StandardFirmata: ${STANDARD_FIRMATA_BITS_PER_S} bits/s)`, async () => {
    const duties = [140, 150, 160, 170];
    await mtj.sample(0b1111, duties, 1); // set the currents and settle
    const four = await timed(0b1111, duties, 2000);
    expect(four.reply.flags & 1).toBe(0);
    const rate4 = four.reply.bits.length / four.seconds;
    const one = await timed(0b0001, [duties[0]], 4000);
    const rate1 = one.reply.bits.length / one.seconds;
    // a training-like pattern: new currents on every request (one RC settling each), 256 draws of 4 junctions
    const moving = await timed(0b1111, [141, 151, 161, 171], 256);
    expect(moving.reply.flags & 1).toBe(1);
    const rateMoving = moving.reply.bits.length / moving.seconds;
    console.log(
      `MTJ_SAMPLE throughput (emulated board time, request sent → reply's F7): ` +
        `4 junctions × 2000 draws ${rate4.toFixed(0)} bits/s (${((four.seconds / 2000) * 1e6).toFixed(0)} µs/draw); ` +
        `1 junction × 4000 draws ${rate1.toFixed(0)} bits/s; ` +
        `new currents + ${(mtj.settleS * 1e3).toFixed(1)} ms settling + 4 × 256 draws ${rateMoving.toFixed(0)} bits/s; ` +
        `StandardFirmata via J5Mtj while training XOR: ${STANDARD_FIRMATA_BITS_PER_S} bits/s`,
    );
    expect(rate4).toBeGreaterThanOrEqual(TARGET_BITS_PER_S);
    expect(rate1).toBeGreaterThanOrEqual(TARGET_BITS_PER_S);
    expect(rateMoving).toBeGreaterThanOrEqual(TARGET_BITS_PER_S);
  });
});
