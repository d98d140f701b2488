/**
 * The fixed training runs every runtime must reproduce bit for bit (short: XOR, a 20-sample Iris
 * subset with pgaf and with the pair algorithm, a 20-sample MNIST subset), and the board module the
 * edge tests run: the release module rebuilt with --lowMemoryLimit for a 48 KiB budget (as for the
 * Nano 33 BLE), memory fixed at the pages the largest run needs including its data.
 */
import { loadXor } from '../../host/data/xor.ts';
import { loadIris } from '../../host/data/iris.ts';
import { loadMnist } from '../../host/data/mnist.ts';
import { defaultNetworkConfig } from '../../host/engine/config.ts';
import type { TrainingRun } from '../harness/runtimes/reference-run.ts';
import { boardAscFlags, compileEngine, finishBoardModule, measureTrainingMemory } from '../../host/deploy/board-module.ts';

export const TEST_BUDGET_BYTES = 48 * 1024;

export function edgeRuns(): TrainingRun[] {
  const xor = loadXor();
  const iris = loadIris();
  const mnist = loadMnist({ trainLimit: 20, testLimit: 1 });
  const sub = (s: { x: Uint8Array; y: Uint8Array }, inputs: number, n: number) => ({ x: s.x.subarray(0, n * inputs), y: s.y.subarray(0, n), n });
  return [
    {
      name: 'xor-pgaf-sigmoid-prng',
      network: { ...defaultNetworkConfig, layout: [2, 8, 2], activation: 'sigmoid', output: 'softmax', algorithm: 'pgaf', reluSampled: false, learningRate: 1, momentum: 0, decay: 0.1, probabilityFloor: 0, seed: 7 },
      data: xor.train, epochs: 5, draws: 'prng', halSeed: 0,
    },
    {
      name: 'xor-pgaf-tanh-mtj-import',
      network: { ...defaultNetworkConfig, layout: [2, 6, 4, 2], activation: 'tanh', output: 'softmax', algorithm: 'pgaf', reluSampled: false, learningRate: 0.5, momentum: 0, decay: 0, probabilityFloor: 0.02, deltaClip: 2, pairs: 2, seed: 11 },
      data: xor.train, epochs: 5, draws: 'sim-hal', halSeed: 3,
    },
    {
      name: 'iris20-pgaf-tanh-momentum-prng',
      network: { ...defaultNetworkConfig, layout: [4, 8, 3], activation: 'tanh', output: 'softmax', algorithm: 'pgaf', reluSampled: false, learningRate: [0.25, 0.5], momentum: 0.9, decay: 0.5, probabilityFloor: 0.01, seed: 3 },
      data: sub(iris.train, 4, 20), epochs: 3, draws: 'prng', halSeed: 0,
    },
    {
      // the pair algorithm: env.mtj_sample with draws = 0, MTJ pairs of the simulated HAL (two hidden layers, so the pair mapping spans layers)
      name: 'iris20-pair-tanh-mtj-pairs',
      network: { ...defaultNetworkConfig, layout: [4, 8, 6, 3], activation: 'tanh', output: 'softmax', algorithm: 'pair', reluSampled: false, learningRate: 0.1, momentum: 0.5, decay: 0.1, probabilityFloor: 0, pairStep: 0.1, seed: 13 },
      data: sub(iris.train, 4, 20), epochs: 3, draws: 'sim-hal-pair', halSeed: 5,
    },
    {
      name: 'mnist20-bp-relu-prng',
      network: { ...defaultNetworkConfig, layout: [784, 12, 10], activation: 'relu', output: 'softmax', algorithm: 'bp', reluSampled: false, learningRate: 0.05, momentum: 0, decay: 0, probabilityFloor: 0, seed: 5 },
      data: sub(mnist.train, 784, 20), epochs: 1, draws: 'prng', halSeed: 0,
    },
  ];
}

/** The board module for the edge tests (one asc build per process). */
export async function edgeTestModule(runs: TrainingRun[]): Promise<Uint8Array> {
  const wasm = await compileEngine(boardAscFlags(TEST_BUDGET_BYTES));
  const need = Math.max(...runs.map((r) => measureTrainingMemory(wasm, r.network).linearBytes + r.data.x.length + r.data.n + 32));
  return finishBoardModule(wasm, { board: 'edge-tests', layout: runs[0].network.layout, linearBytes: need, budgetBytes: TEST_BUDGET_BYTES, lowMemoryLimit: TEST_BUDGET_BYTES }).wasm;
}
