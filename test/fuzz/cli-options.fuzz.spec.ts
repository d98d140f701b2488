/**
 * Property-based fuzz of every command's option parser (issue 11): random values for every option
 * (numbers, NaN, ±Infinity, empty, huge, negative, garbage strings), written `--name value` or
 * `--name=value`, repeated options, unknown flags and stray arguments, in any order.
 *
 * Property: the parser returns its job, or throws a CliError (exit 2) whose message starts with the
 * option it names, and that option is one the command line holds (or a required one it lacks, or the
 * stray argument itself); never another exception type, never a hang. Parse-only: nothing trains, no
 * file or port is opened (`power` stops at its port connector; --dataset is a built-in data set, or a
 * spec naming none, so only a malformed spec can fail, as an option error).
 *
 * Runs: FUZZ_RUNS (env) per unit of weight (test/fuzz/file-fuzz-support.ts): 12.5 units in all, so
 * 5,000 cases by default (about a second: parsing is cheap); `FUZZ_RUNS=100000 npx vitest run test/fuzz`
 * for the long campaign (1.25 million command lines, about a minute). FUZZ_SEED replays a failure;
 * FUZZ_STATS=1 prints how many were accepted and which options refused the others.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../host/commands/errors.ts';
import { parseTrainArgs } from '../../host/commands/train.ts';
import { parseCalibrateArgs } from '../../host/commands/calibrate.ts';
import { parseBuildArgs } from '../../host/commands/build.ts';
import { parseReportArgs } from '../../host/commands/report.ts';
import { powerCommand } from '../../host/commands/power.ts';
import { params, timeoutFor } from './file-fuzz-support.ts';

/** Numbers as a user might type them, and what they should not. */
const numeric: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'NaN', 'Infinity', '-Infinity', '', ' ', '-0', '0', '1', '2', '3', '4', '8', '10', '-1', '0.1', '0.5', '0.999', '1.5', '1e9', '1e308', '-1e308', '4294967296',
      '4294967295', '100000000', '0x10', '0b1', '1e-7', '5e-6', '7.63e-6', '1e-5', '2e-8', '1_000', '١', '1,2', '1,,2', '12abc', 'abc', '--', '-', '=', 'true', '\u0000',
    ),
  },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 40 }).map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const list: fc.Arbitrary<string> = fc.oneof(numeric, fc.array(numeric, { minLength: 0, maxLength: 6 }).map((a) => a.join(',')));
const garbage: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('', ' ', '-', '--', '-x', '--x', '=', ',', 'a,b', '\n', "it's", "'", 'x'.repeat(300)), fc.string({ maxLength: 12 }));
const choice = (...valid: string[]): fc.Arbitrary<string> => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: garbage });
/** Paths are only named in the job (never opened while parsing). */
const path: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('', ' ', '/tmp/spintrain-fuzz-never/x', 'rel/file.stw', '-'), fc.string({ maxLength: 10 }));

type Spec = Record<string, fc.Arbitrary<string> | 'flag'>;

const TRAIN: Spec = {
  dataset: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('xor', 'iris', 'XOR', ' iris ') }, { weight: 1, arbitrary: fc.constantFrom('', 'mnistx', 'a,b,c', 'xor,', ',', 'a,b,c,d,e') }),
  'label-column': fc.oneof(numeric, garbage, fc.constantFrom('class', '-1', '8193', '-8194')),
  hidden: list, activation: choice('sigmoid', 'tanh', 'relu'), output: choice('softmax', 'sigmoid'), algo: choice('bp', 'pgaf', 'pair'),
  'relu-sampled': 'flag', 'pair-step': numeric, 'trainable-activation': 'flag', 'activation-range': list, teacher: path, temperature: numeric, alpha: numeric,
  epochs: numeric, lr: list, decay: numeric, momentum: numeric, 'p-floor': numeric, 'delta-clip': numeric, 'draw-pairs': choice('1', '2', '4', '8'), seed: numeric,
  normalize: choice('reflect', 'none'), compare: choice('bp', 'none'), 'train-limit': numeric, 'test-limit': numeric, save: path, checkpoint: path, resume: path, json: 'flag', report: path,
  device: choice('prng', 'sim', '/dev/ttyFUZZ0'), calibration: path, board: choice('uno'),
};
const CALIBRATE: Spec = { device: choice('sim', '/dev/ttyFUZZ0'), devices: numeric, samples: numeric, out: path, plots: path, seed: numeric };
const BUILD: Spec = {
  board: choice('nano33ble', 'rp2040-pico', 'esp32', 'teensy41', 'uno'), layout: list, out: path, weights: path, activation: choice('sigmoid', 'tanh', 'relu'),
  output: choice('softmax', 'sigmoid'), algo: choice('bp', 'pgaf', 'pair'), 'relu-sampled': 'flag', lr: list, momentum: numeric, decay: numeric, 'p-floor': numeric,
  'delta-clip': numeric, seed: numeric, draws: choice('mtj', 'prng'), wasm: path, calibration: path, 'pair-step': numeric,
};
const POWER: Spec = {
  port: choice('/dev/ttyFUZZ0'), sensor: choice('ina219'), address: choice('0x40', '64', '0x08', '0x77'), shunt: numeric, 'marker-pin': numeric, samples: numeric,
  'sampling-ms': numeric, 'dwell-ms': numeric, 'link-latency-ms': numeric, out: path,
  ...Object.fromEntries(['dataset', 'hidden', 'algo', 'lr', 'decay', 'seed', 'epochs', 'json', 'device', 'save'].map((k) => [k, TRAIN[k]])),
};

/**
 * A command line: some options of the spec (possibly repeated), unknown flags and stray words, in any order.
 * `required` options are there, except that the first is left out in some cases when `droppable`.
 */
function commandLine(spec: Spec, required: string[] = [], droppable = true): fc.Arbitrary<string[]> {
  const names = Object.keys(spec);
  const option = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...names).chain((name) => written(name, spec[name])) },
    { weight: 1, arbitrary: fc.constantFrom('--bogus', '-x', '-xyz', '--', '--=', '---', '--json=', '-h=1', '--constructor', '--__proto__', '--toString=1', "--a'b", '--a b').map((s) => [s]) },
    { weight: 1, arbitrary: garbage.map((s) => [s]) },
  );
  const needed = fc.tuple(...required.map((name) => written(name, spec[name])));
  return fc
    .tuple(needed, fc.array(option, { maxLength: 8 }), fc.boolean())
    .chain(([req, rest, keepRequired]) => {
      const parts = [...(keepRequired || !droppable ? req : req.slice(1)), ...rest];
      return fc.shuffledSubarray(parts, { minLength: parts.length }).map((p) => p.flat());
    });
}

function written(name: string, value: fc.Arbitrary<string> | 'flag'): fc.Arbitrary<string[]> {
  if (value === 'flag') return fc.oneof({ weight: 8, arbitrary: fc.constant<string[]>([`--${name}`]) }, { weight: 1, arbitrary: garbage.map((v) => [`--${name}=${v}`]) });
  return fc.tuple(value, fc.boolean()).map(([v, joined]) => (joined ? [`--${name}=${v}`] : [`--${name}`, v]));
}

/** Options a refusal may name without the command line holding them: required ones, and those a default value of which is at fault. */
const MAY_BE_ABSENT = ['--board', '--out', '--device', '--port', '--calibration', '--decay', 'RUN_DIR', 'option'];

/** Accepted and refused command lines (printed with FUZZ_STATS=1), so a generator that never gets past the first check shows. */
const stats = { accepted: 0, refused: new Map<string, number>() };

/** The property: no error, or a CliError naming an option of the command line. */
function expectCleanOutcome(argv: string[], e: unknown): void {
  if (e === undefined) {
    stats.accepted++;
    return;
  }
  if (!(e instanceof CliError)) throw new Error(`argv ${JSON.stringify(argv)}: expected success or a CliError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
  expect(e.message.startsWith(`${e.option}: `)).toBe(true);
  const base = e.option.replace(/\[\d+\]$/, '');
  const named = base.startsWith('"') || MAY_BE_ABSENT.includes(base) || argv.some((a) => a === base || a.startsWith(`${base}=`));
  if (!named) throw new Error(`argv ${JSON.stringify(argv)}: the CliError names ${e.option}, which the command line does not hold: ${e.message}`);
  expect(e.message).not.toMatch(/undefined|\[object Object\]/);
  stats.refused.set(base, (stats.refused.get(base) ?? 0) + 1);
}

function outcome(argv: string[], f: () => unknown): void {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expectCleanOutcome(argv, error);
}

/** Stops `power` where it would open its port: every option has been checked by then. */
class ParsedUpToThePort extends Error {}

describe('every option of every command: success or a CliError naming it (property-based)', () => {
  afterAll(() => {
    if (process.env.FUZZ_STATS) console.log(`cli options: ${stats.accepted} accepted, refused by option: ${JSON.stringify(Object.fromEntries([...stats.refused].sort((a, b) => b[1] - a[1])))}`);
  });

  it('train', () => fc.assert(fc.property(commandLine(TRAIN, ['dataset'], false), (argv) => outcome(argv, () => parseTrainArgs(argv))), params(5)), timeoutFor(5, 1));

  it('calibrate', () => fc.assert(fc.property(commandLine(CALIBRATE, ['device']), (argv) => outcome(argv, () => parseCalibrateArgs(argv))), params(1.25)), timeoutFor(1.25, 1));

  it('build', () => fc.assert(fc.property(commandLine(BUILD, ['board', 'out']), (argv) => outcome(argv, () => parseBuildArgs(argv))), params(2.5)), timeoutFor(2.5, 1));

  it('report', () =>
    fc.assert(fc.property(fc.array(fc.oneof(garbage, fc.constantFrom('run/', '--x', '--help=1')), { maxLength: 3 }), (argv) => outcome(argv, () => parseReportArgs(argv))), params(1.25)), timeoutFor(1.25, 1));

  it('power (up to opening the port)', async () => {
    const stop = () => {
      throw new ParsedUpToThePort();
    };
    await fc.assert(
      fc.asyncProperty(commandLine(POWER, ['port']), async (argv) => {
        let error: unknown;
        try {
          await powerCommand(argv, stop);
        } catch (e) {
          error = e;
        }
        expectCleanOutcome(argv, error instanceof ParsedUpToThePort ? undefined : error);
      }),
      params(2.5),
    );
  }, timeoutFor(2.5, 1));
});
