// J5Mtj reading MTJ pairs through two ADC channels (profile.mtjPairs), against a mock johnny-five IO
// whose analog channels report the junction voltages of simulated twins (pair-iv-model.ts) at the
// currents set by the PWM duties: the pair-read contract, and the profile validator's new field.
import { describe, it, expect } from 'vitest';
import { arduinoUno } from '../../boards/arduino-uno.ts';
import { type BoardProfile, validateBoardProfile } from '../../boards/board-profile.ts';
import { J5Mtj, type J5Board, type J5Io } from '../../host/device/j5-mtj.ts';
import { BoardProfileError } from '../../boards/errors.ts';
import { defaultPairIvConfig, drawPairJunctions, pairJunctionVoltage } from '../../host/device/pair-iv-model.ts';
import { Rng } from '../../host/rng.ts';
import { mtjPairContract } from './mtj-pair-contract.ts';

/** The Uno without its INA219 (A4/A5 freed) and one MTJ pair: PWM 5, 6 → twins; A4, A5 ← their voltages. */
const unoWithPair: BoardProfile = {
  ...arduinoUno,
  id: 'arduino-uno-pair',
  powerSensor: undefined,
  mtjPairs: { biasPins: [[5, 6]], adcPins: [[4, 5]], pwmBits: 8, pwmHighV: 5, midV: 2.5, senseOhm: 2500, settleS: 0.001, adcOffsetV: 1 },
};

function mockBoard(profile: BoardProfile): J5Board {
  const pw = profile.mtjPairs!;
  const twins = drawPairJunctions(pw.biasPins.length, defaultPairIvConfig, new Rng(3));
  const duty = new Map<number, number>();
  const listeners = new Map<number, (v: number) => void>();
  const channelValue = (ch: number): number => {
    for (let p = 0; p < pw.adcPins.length; p++) {
      for (let t = 0; t < 2; t++) {
        if (pw.adcPins[p][t] !== ch) continue;
        const current = ((duty.get(pw.biasPins[p][t]) ?? 0) / 255) * pw.pwmHighV - pw.midV;
        const v = pairJunctionVoltage(twins[p][t], defaultPairIvConfig, current / pw.senseOhm) + pw.adcOffsetV;
        return Math.max(0, Math.min(1023, Math.round((v / profile.adc.referenceV) * 1024)));
      }
    }
    return 0; // the sampling junctions stay in P at 0 V here
  };
  const report = (): void => listeners.forEach((cb, ch) => cb(channelValue(ch)));
  const io: J5Io = {
    MODES: { OUTPUT: 1, PWM: 3, ANALOG: 2 },
    pinMode: () => undefined,
    digitalWrite: () => undefined,
    pwmWrite: (pin, v) => void duty.set(pin, v),
    analogRead: (ch, cb) => void listeners.set(ch, cb),
    reportAnalogPin: () => undefined,
    reportVersion: (cb) => void setImmediate(() => { cb(); setImmediate(report); }),
    on: () => undefined,
  };
  return { io, isReady: true, on: () => undefined, once: () => undefined };
}

mtjPairContract('J5Mtj on a mock Firmata IO (1 pair, 10-bit ADC)', async () => ({
  array: new J5Mtj({ profile: unoWithPair, board: mockBoard(unoWithPair) }),
  readNoiseV: 5 / 1024, // one ADC step
}));

describe('board profile: the optional mtjPairs field', () => {
  it('accepts the pair wiring and every existing profile without it', () => {
    expect(validateBoardProfile(unoWithPair).mtjPairs?.biasPins).toEqual([[5, 6]]);
    expect(validateBoardProfile(arduinoUno).mtjPairs).toBeUndefined();
  });

  it.each([
    [{ adcPins: [[0, 5]] }, /mtjPairs.adcPins/],
    [{ biasPins: [[3, 6]] }, /mtjPairs.biasPins/],
    [{ biasPins: [[5]] }, /mtjPairs.biasPins\[0\]/],
    [{ midV: 6 }, /mtjPairs.midV/],
    [{ adcPins: [[4, 5], [1, 2]] }, /mtjPairs.adcPins/],
  ])('refuses %j naming the field', (patch, field) => {
    const bad = { ...unoWithPair, mtjPairs: { ...unoWithPair.mtjPairs!, ...patch } };
    expect(() => validateBoardProfile(bad)).toThrow(BoardProfileError);
    expect(() => validateBoardProfile(bad)).toThrow(field);
  });
});
