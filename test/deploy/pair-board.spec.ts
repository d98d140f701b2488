// The pair algorithm (MTJ-pair finite differences) on the board glue: env.mtj_sample with draws = 0
// served by the portable loop (portable/st_mtj.c) and a HAL's pair read.
//   - The simulated HAL (hal/st_hal_sim.c, integer only) and its host mirror
//     (test/harness/runtimes/simulated-mtj-hal.ts, SimulatedMtjPairHal) give the same reads, so each board run is
//     compared with V8 bit for bit: weights, per-epoch counts and held-out predictions.
//   - It learns: Iris 4-2-3 through the simulated HAL meets LEARNED (below) for four seeds, as exact bp
//     does, while the same runs with a broken derivative (f′ = 0 or −f′) do not.
//   - The GPIO HAL's pair path (PWM bias codes, two ADC conversions, units from spintrain_board.h) runs
//     natively against a simulated circuit at the pins and learns too.
//   - A HAL without pairs (the simulated HAL built with ST_HAL_SIM_NO_PAIRS, the GPIO HAL for a board
//     without mtjPairs) still traps on draws = 0, now with a named error, and still serves p-GAF draws.
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadIris } from '../../host/data/iris.ts';
import { loadXor } from '../../host/data/xor.ts';
import { defaultNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from '../../host/engine/config.ts';
import { SpintrainEngine } from '../../host/engine/wasm-engine.ts';
import type { PairSource } from '../../host/engine/pair-source.ts';
import { drawsOf, runInV8, type TrainingRun } from '../harness/runtimes/reference-run.ts';
import { SimulatedMtjPairHal, simTanhQ16 } from '../harness/runtimes/simulated-mtj-hal.ts';
import { compileNativeObjects, linkNative, runNative, withHal, type NativeObjects } from '../harness/runtimes/wasm2c-native.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { cBoardHeader } from '../../host/deploy/c-board-header.ts';
import { BoardDrawSourceError, encodeCommands, encodeTrainingStream, parseBoardReport, requireMtjDraws, trainingCommands, type StreamSplit } from '../../host/deploy/serial-stream.ts';
import { glue } from '../../host/deploy/glue-sources.ts';
import { buildForBoard } from '../../host/deploy/build-board.ts';
import { buildCommand } from '../../host/commands/build.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { BuildArgumentError } from '../../host/deploy/errors.ts';
import { validateBoardProfile, type BoardProfile } from '../../boards/board-profile.ts';
import { esp32DevkitC } from '../../boards/esp32-devkitc.ts';
import { skipReason } from '../setup/tool-list.ts';
import { edgeRuns, edgeTestModule } from './runs.ts';

const OUT = fileURLToPath(new URL('../../build/test-deploy-pair/', import.meta.url));
const TOOLS = ['wasm2c', 'cc', 'wasmRtImpl'] as const;
const LINEAR = 65536 * 16;

/**
 * What "learned" means here, for Iris 4-2-3 (tanh, lr 0.05, 150 natural-order epochs, split seed 4):
 * at least 27 of the 30 held-out samples, and at least 110 of the 120 training samples right in the
 * last epoch. Why both, and why 4-2-3: with 16 hidden neurons Iris is solved by the output layer alone
 * on random hidden features, so even f′ = 0 reached 28/30 held out; with 2 hidden neurons the hidden
 * layer has to learn. Exact bp (checked below in V8) gets 28/30 and 115–117/120 for seeds 1–4, the
 * simulated pairs 28/30 and 116–118/120 (the paper reports 93.3 % = 28/30 for its pair method on
 * Iris). f′ = 0 (twin B read as twin A) still gets up to 29/30 held out on one seed but only 98–105/120
 * in training; −f′ collapses to 10–20/30. So the thresholds sit one held-out sample and ~5 training
 * samples below bp and reject both broken derivatives for every seed (asserted as a control).
 */
const LEARNED = { heldOut: 27, train: 110 };
const EPOCHS = 150;
const SEEDS = [1, 2, 3, 4];

const iris = loadIris({ seed: 4 });
const irisNetwork = (extra: Partial<NetworkConfig<TrainingAlgorithm>> = {}): NetworkConfig<TrainingAlgorithm> => ({
  ...defaultNetworkConfig, layout: [4, 2, 3], activation: 'tanh', output: 'softmax', algorithm: 'pair', learningRate: 0.05, pairStep: 0.1, seed: 1, ...extra,
});
const learned = (heldOut: number, lastEpoch: number): boolean => heldOut >= LEARNED.heldOut && lastEpoch >= LEARNED.train;

/** Trains in V8 as the board stream does (natural order, setEpoch each epoch); returns last-epoch and held-out counts. */
async function trainV8(engine: SpintrainEngine<TrainingAlgorithm>): Promise<{ perEpoch: number[]; predictions: number[] }> {
  const split = engine.loadSplit(iris.train);
  const perEpoch: number[] = [];
  for (let e = 0; e < EPOCHS; e++) {
    engine.setEpoch(e);
    perEpoch.push(await engine.trainEpoch(split));
  }
  const predictions = Array.from({ length: iris.test.n }, (_v, i) => engine.predict(iris.test.x.subarray(4 * i, 4 * i + 4)));
  return { perEpoch, predictions };
}

const heldOutCorrect = (y: number[]): number => y.filter((c, i) => c === iris.test.y[i]).length;

/** ESP32-DevKitC without its p-GAF circuit, with 4 MTJ pairs on ADC1's 8 channels (12 bits, 3.3 V), ±1 mA. */
const withPairs: BoardProfile = validateBoardProfile({
  ...esp32DevkitC, id: 'esp32-pairs-test', mtj: undefined,
  mtjPairs: { biasPins: [[25, 26], [27, 14], [12, 13], [4, 16]], adcPins: [[0, 1], [2, 3], [4, 5], [6, 7]], pwmBits: 12, pwmHighV: 3.3, midV: 1.65, senseOhm: 1650, settleS: 0.002, adcOffsetV: 1.2 },
});

/** Training epochs, then 'P' for every held-out sample, then the dump and quit (frames 0, 1, …). */
function trainThenPredict(train: StreamSplit, test: StreamSplit, inputs: number, epochs: number): Uint8Array {
  return encodeCommands(trainingCommands(train, inputs, epochs, test));
}

const boardPredictions = (raw: string): number[] => raw.split('\n').filter((l) => l.startsWith('p ')).map((l) => Number(l.slice(2)));

describe('simulated HAL pair model on the host (SimulatedMtjPairHal = st_hal_sim.c)', () => {
  it('its fixed-point tanh is within one Q16 step of tanh', () => {
    let worst = 0;
    for (let x = -12 * 65536; x <= 12 * 65536; x += 37) worst = Math.max(worst, Math.abs(simTanhQ16(x) - Math.tanh(x / 65536) * 65536));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('twins follow g·tanh(z − z0) + 0.05·z with the documented mismatch (gain CV 2 %, σ(z0) = 0.02) and read noise (σ = 0.0025)', () => {
    const hal = new SimulatedMtjPairHal(7, [400], 0.1);
    const z0 = new Int32Array(400); // z = 0: v1 = g·tanh(−z0) + n ≈ −z0 + n
    const zSat = new Int32Array(400).fill(6 * 65536); // saturated: v1 = g + 0.3 + n
    const out = new Int32Array(800);
    hal.readLayer(0, zSat, out);
    const gains = Array.from({ length: 400 }, (_v, j) => out[2 * j] / 65536 - 0.3);
    hal.readLayer(0, z0, out);
    const offsets = Array.from({ length: 400 }, (_v, j) => out[2 * j] / 65536);
    const sd = (xs: number[]): number => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
    };
    // 400 draws: the sample SD is within ±15 % of σ with overwhelming probability
    expect(sd(gains)).toBeGreaterThan(0.02 * 0.85);
    expect(sd(gains)).toBeLessThan(Math.hypot(0.02, 0.0025) * 1.15);
    expect(sd(offsets)).toBeGreaterThan(0.02 * 0.85);
    expect(sd(offsets)).toBeLessThan(Math.hypot(0.02, 0.0025) * 1.15);
    // the same junction read twice differs by the read noise only (σ√2)
    const a = new Int32Array(800);
    hal.readLayer(0, z0, a);
    const diffs = Array.from({ length: 400 }, (_v, j) => (a[2 * j] - out[2 * j]) / 65536);
    expect(sd(diffs)).toBeGreaterThan(0.0025 * Math.SQRT2 * 0.85);
    expect(sd(diffs)).toBeLessThan(0.0025 * Math.SQRT2 * 1.15);
  });
});

describe('spintrain build --algo pair', () => {
  it('refuses a board without mtjPairs, and prng draws, before writing anything', async () => {
    const out = join(OUT, 'never');
    await expect(buildForBoard({ board: 'nano33ble', outDir: out, network: irisNetwork() })).rejects.toThrow(/pair reads MTJ pairs, and board nrf52840-nano33ble has none/);
    await expect(buildForBoard({ board: withPairs, outDir: out, network: irisNetwork(), draws: 'prng' })).rejects.toBeInstanceOf(BuildArgumentError);
    let err = '';
    const orig = console.error;
    console.error = (...a: unknown[]) => void (err += a.join(' '));
    try {
      expect(await buildCommand(['--board', 'nano33ble', '--algo', 'pair', '--pair-step', '0.2', '--layout', '4,2,3', '--out', out])).toBe(2);
    } finally {
      console.error = orig;
    }
    expect(err).toContain('--algo: pair reads MTJ pairs');
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(skipReason(TOOLS))(`pair on the board glue, wasm2c native ${skipReason(TOOLS) || ''}`, () => {
  let wasm: Uint8Array;
  let objs: NativeObjects;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    wasm = await edgeTestModule(edgeRuns());
    objs = compileNativeObjects(wasm, join(OUT, 'native'));
  }, 300_000);

  it(`Iris 4-2-3, ${EPOCHS} epochs through the simulated HAL, seeds ${SEEDS.join(', ')}: learns as bp does, bit-identical to V8`, async () => {
    for (const seed of SEEDS) {
      const run: TrainingRun = { name: `iris-pair-${seed}`, network: irisNetwork({ seed }), data: iris.train, epochs: EPOCHS, draws: 'sim-hal-pair', halSeed: seed + 1 };
      const exe = linkNative(objs, cConfigHeader({ network: run.network, draws: 'import', linearMemoryLimit: LINEAR }, run.name), run.name);
      const got = runNative(exe, trainThenPredict(iris.train, iris.test, 4, EPOCHS), run.network.layout, ['--hal-seed', String(run.halSeed)]);
      const native = boardPredictions(got.raw);
      expect(native).toHaveLength(iris.test.n);
      const last = got.epochs[EPOCHS - 1].correct;
      const bp = await trainV8(new SpintrainEngine({ ...run.network, algorithm: 'bp' }, { kind: 'prng' }, wasm));
      console.log(`[pair board] seed ${seed}: simulated HAL held out ${heldOutCorrect(native)}/30, last epoch ${last}/120; bp ${heldOutCorrect(bp.predictions)}/30, ${bp.perEpoch[EPOCHS - 1]}/120`);
      expect(learned(heldOutCorrect(native), last), `seed ${seed}`).toBe(true);
      expect(heldOutCorrect(native)).toBeGreaterThanOrEqual(heldOutCorrect(bp.predictions) - 1);

      // V8 with the host mirror of the HAL: same counts, predictions and weights (the 'P' reads advance the noise stream on both sides)
      const engine = new SpintrainEngine(run.network, drawsOf(run), wasm);
      const v8 = await trainV8(engine);
      expect(got.epochs.map((e) => e.correct)).toEqual(v8.perEpoch);
      expect(native).toEqual(v8.predictions);
      const p = engine.exportParameters();
      p.weights.forEach((w, l) => {
        expect(Array.from(got.parameters.weights[l]), `W${l}`).toEqual(Array.from(w));
        expect(Array.from(got.parameters.biases[l]), `B${l}`).toEqual(Array.from(p.biases[l]));
      });
    }
  }, 180_000);

  it('control: the same runs with a broken derivative (f′ = 0, or −f′) do not meet the criterion', async () => {
    for (const broken of ['zero', 'negated'] as const) {
      for (const seed of SEEDS) {
        const hal = new SimulatedMtjPairHal(seed + 1, [2], 0.1);
        const source: PairSource = {
          stepZ: 0.1,
          readLayer: (layer, z, out) => {
            hal.readLayer(layer, z, out);
            for (let j = 0; j < z.length; j++) out[2 * j + 1] = broken === 'zero' ? out[2 * j] : 2 * out[2 * j] - out[2 * j + 1];
          },
        };
        const r = await trainV8(new SpintrainEngine(irisNetwork({ seed }), { kind: 'pair', source, via: 'import' }, wasm));
        expect(learned(heldOutCorrect(r.predictions), r.perEpoch[EPOCHS - 1]), `${broken} f′, seed ${seed}: ${heldOutCorrect(r.predictions)}/30, ${r.perEpoch[EPOCHS - 1]}/120`).toBe(false);
      }
    }
  }, 120_000);

  it('a HAL without pairs traps on draws = 0 with a named error, and still serves p-GAF draws', async () => {
    const noPairs = withHal(objs, 'sim-no-pairs', [glue('hal/st_hal_sim.c')], ['-DST_HAL_SIM_NO_PAIRS']);
    const network = irisNetwork();
    const exe = linkNative(noPairs, cConfigHeader({ network, draws: 'import', linearMemoryLimit: LINEAR }, 'pair without pairs'), 'pair-no-pairs');
    const r = runTool(exe, ['--hal-seed', '1'], { input: encodeTrainingStream({ x: iris.train.x.subarray(0, 8), y: iris.train.y.subarray(0, 2), n: 2 }, 4, 1), allowFailure: true });
    expect(r.stdout).toContain('! -105 mtj_sample: pair read (draws = 0), but this HAL has no MTJ pairs');
    // the p-GAF import run of the edge tests, on the same HAL: bit-identical to V8 as before
    const pgaf = edgeRuns().find((x) => x.name === 'xor-pgaf-tanh-mtj-import')!;
    const exe2 = linkNative(noPairs, cConfigHeader({ network: pgaf.network, draws: 'import', linearMemoryLimit: LINEAR }, pgaf.name), 'pgaf-no-pairs');
    const got = runNative(exe2, encodeTrainingStream(pgaf.data, pgaf.network.layout[0], pgaf.epochs), pgaf.network.layout, ['--hal-seed', String(pgaf.halSeed)]);
    const want = await runInV8(pgaf);
    expect(Array.from(got.parameters.weights[0])).toEqual(Array.from(want.parameters.weights[0]));
  });

  it('the pgaf and bp runs still set the pair step (host order), and a pair config needs the board draws', () => {
    const header = cConfigHeader({ network: irisNetwork({ pairStep: 0.25 }), draws: 'import', linearMemoryLimit: LINEAR }, 'h');
    expect(header).toContain('.algorithm = 2 /* pair */');
    expect(header).toContain('.pair_step_q16 = 16384');
    expect(cConfigHeader({ network: { ...irisNetwork(), algorithm: 'bp' }, draws: 'prng', linearMemoryLimit: LINEAR }, 'h')).toContain('.pair_step_q16 = 6554');
    expect(() => cConfigHeader({ network: irisNetwork(), draws: 'prng', linearMemoryLimit: LINEAR }, 'h')).toThrow(BuildArgumentError);
  });

  describe('GPIO HAL, against a simulated circuit at the pins', () => {
    /** The GPIO HAL and the circuit port compiled as in a sketch: src/{hal,native}/ next to src/portable/ and src/generated/ (the board header). */
    function gpioObjs(name: string, board: BoardProfile): NativeObjects {
      const src = join(OUT, `board-${name}`);
      for (const d of ['portable', 'generated', 'hal', 'native']) mkdirSync(join(src, d), { recursive: true });
      for (const f of readdirSync(glue('portable')).filter((x) => x.endsWith('.h'))) writeFileSync(join(src, 'portable', f), readFileSync(glue('portable', f)));
      writeFileSync(join(src, 'generated', 'spintrain_board.h'), cBoardHeader(board));
      const files = ['hal/st_hal_gpio.c', 'native/st_native_pair_circuit.c'];
      for (const f of files) writeFileSync(join(src, f), readFileSync(glue(f)));
      return withHal(objs, `gpio-${name}`, files.map((f) => join(src, f)), [`-I${join(src, 'portable')}`, `-I${join(src, 'generated')}`]);
    }

    it('the board header carries the pair wiring in fixed point', () => {
      const h = cBoardHeader(withPairs);
      expect(h).toContain('#define ST_MTJ_PAIRS 4');
      expect(h).toContain('static const uint8_t ST_MTJ_PAIR_BIAS_PINS[4][2] = { { 25, 26 }, { 27, 14 }, { 12, 13 }, { 4, 16 } };');
      expect(h).toContain('static const uint8_t ST_MTJ_PAIR_ADC_INPUTS[4][2] = { { 36, 37 }, { 38, 39 }, { 32, 33 }, { 34, 35 } };'); // ADC1_CH0..7 → GPIO
      // mid code 1.65/3.3·4095 = 2047.5; 100 µA·1650 Ω/3.3 V·4095 = 204.75 codes per unit; ±1 mA = ±10 units
      expect(h).toContain(`#define ST_MTJ_PAIR_CODE_MID_Q16 INT64_C(${Math.round(2047.5 * 65536)})`);
      expect(h).toContain(`#define ST_MTJ_PAIR_CODE_PER_UNIT_Q16 INT64_C(${Math.round(204.75 * 65536)})`);
      expect(h).toContain(`#define ST_MTJ_PAIR_Z_MAX_Q16 ${Math.floor(10 * 65536)}`);
      expect(cBoardHeader(esp32DevkitC)).toContain('#define ST_MTJ_PAIRS 0');
      expect(() => cBoardHeader({ ...withPairs, mtj: esp32DevkitC.mtj })).toThrow(/one analogWriteResolution/);
    });

    it(`Iris 4-2-3 learns through PWM codes and ADC conversions, seeds ${SEEDS.join(', ')}`, () => {
      const o = gpioObjs('pairs', withPairs);
      for (const seed of SEEDS) {
        const network = irisNetwork({ seed });
        const exe = linkNative(o, cConfigHeader({ network, draws: 'import', linearMemoryLimit: LINEAR }, 'gpio pairs'), `gpio-pairs-${seed}`);
        const got = runNative(exe, trainThenPredict(iris.train, iris.test, 4, EPOCHS), network.layout, ['--hal-seed', String(seed + 1)]);
        expect(got.drawSource).toBe('mtj-pairs');
        expect(() => requireMtjDraws(got)).not.toThrow();
        const heldOut = heldOutCorrect(boardPredictions(got.raw));
        const last = got.epochs[EPOCHS - 1].correct;
        console.log(`[pair board] seed ${seed}: GPIO HAL (4 pairs, 12-bit PWM and ADC) held out ${heldOut}/30, last epoch ${last}/120`);
        expect(learned(heldOut, last), `seed ${seed}`).toBe(true);
      }
    }, 120_000);

    it('for a board without mtjPairs: pair reads trap with the named error; p-GAF draws still come (on-chip random)', () => {
      const o = gpioObjs('no-pairs', esp32DevkitC);
      const pair = linkNative(o, cConfigHeader({ network: irisNetwork(), draws: 'import', linearMemoryLimit: LINEAR }, 'gpio no pairs'), 'gpio-no-pairs');
      const r = runTool(pair, [], { input: encodeTrainingStream({ x: iris.train.x.subarray(0, 4), y: iris.train.y.subarray(0, 1), n: 1 }, 4, 1), allowFailure: true });
      expect(r.stdout).toContain('! -105 mtj_sample: pair read (draws = 0), but this HAL has no MTJ pairs');
      const xor = loadXor();
      const pgaf = { ...defaultNetworkConfig, layout: [2, 8, 2], activation: 'sigmoid' as const, algorithm: 'pgaf' as const, learningRate: 1 };
      const exe = linkNative(o, cConfigHeader({ network: pgaf, draws: 'import', linearMemoryLimit: LINEAR }, 'gpio pgaf'), 'gpio-pgaf');
      const report = parseBoardReport(runTool(exe, [], { input: encodeTrainingStream(xor.train, 2, 3) }).stdout, pgaf.layout);
      // the profile has an MTJ circuit but its probe fails here (the port answers st_port_mtj_present() = 0):
      // the board says so in its banner, and a host that needs the MTJs refuses the run
      expect(report.drawSource).toBe('chip-rng-probe-failed');
      expect(() => requireMtjDraws(report)).toThrow(BoardDrawSourceError);
      expect(() => requireMtjDraws(report)).toThrow(/did not answer its probe/);
    });

    it('spintrain build for a board with mtjPairs: a pair sketch whose glue type-checks (C against the runtimes’ declarations, the port as C++)', async () => {
      const out = join(OUT, 'build-pairs');
      const r = await buildForBoard({ board: withPairs, outDir: out, network: irisNetwork() });
      expect(r.network.algorithm).toBe('pair');
      const src = join(out, 'spintrain/src');
      expect(readFileSync(join(src, 'generated/spintrain_config.h'), 'utf8')).toContain('.algorithm = 2 /* pair */');
      expect(readFileSync(join(src, 'generated/spintrain_board.h'), 'utf8')).toContain('#define ST_MTJ_PAIRS 4');
      const decl = `-I${glue('api-decl')}`;
      const c = ['app/st_app.c', 'portable/st_mtj.c', 'portable/st_session.c', 'hal/st_hal_gpio.c', 'runtime/st_wasm3.c'].map((f) => join(src, f));
      runTool('cc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', decl, ...c, glue('runtime/st_wamr.c')]);
      runTool('c++', ['-std=c++17', '-Wall', '-Werror', '-fsyntax-only', decl, '-x', 'c++', join(out, 'spintrain/st_port_arduino.cpp')]);
    }, 120_000);
  });
});
