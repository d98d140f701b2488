/**
 * The workload profiled by test/bench/profile.ts in a child `node --cpu-prof` process:
 *   node --cpu-prof --import tsx test/bench/lib/profile-workload.ts <algorithm> <samples> <wasm path>
 * Trains the bench network on MNIST with trainEpoch (in-module PRNG) after a warm-up and prints the rate and
 * the timed window as JSON.
 */
import { readFileSync } from 'node:fs';
import type { Algorithm } from '../../../host/engine/config.ts';
import { benchSamples } from './bench-network.ts';
import { spintrainTrainer } from './spintrain-trainer.ts';

const [algorithm, samplesArg, wasmPath] = process.argv.slice(2);
if (algorithm !== 'bp' && algorithm !== 'pgaf') throw new Error(`profile workload: algorithm must be bp or pgaf, got ${algorithm}`);
const samples = Number(samplesArg);
if (!(Number.isInteger(samples) && samples > 0)) throw new Error(`profile workload: samples must be a positive integer, got ${samplesArg}`);
const data = benchSamples(Math.min(samples, 20000));
const t = spintrainTrainer(algorithm as Algorithm, data, readFileSync(wasmPath));
await t.run(Math.min(1000, samples)); // warm-up: wasm tier-up, first-touch of the weights
// The training window on the monotonic clock [µs], the clock of the .cpuprofile timestamps.
const windowStartUs = Number(process.hrtime.bigint() / 1000n);
const t0 = performance.now();
await t.run(samples);
const seconds = (performance.now() - t0) / 1000;
const windowEndUs = Number(process.hrtime.bigint() / 1000n);
console.log(JSON.stringify({ algorithm, samples, seconds, rate: samples / seconds, windowStartUs, windowEndUs }));
