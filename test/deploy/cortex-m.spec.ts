// One step closer to a board: the wasm2c build with the board glue cross-compiled for a Cortex-M3
// (no FPU, newlib nano) and run on QEMU's mps2-an385 with linear memory cut to what the layout needs
// (well below one 64 KiB page): bit-identical weights to V8, and the memory it used.
import { describe, it, expect, beforeAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildCortexM, runQemu } from '../harness/runtimes/cortex-m-build.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { encodeTrainingStream, trainingCommands } from '../../host/deploy/serial-stream.ts';
import { compileNativeObjects, linkNative, runNativeLinked } from '../harness/runtimes/wasm2c-native.ts';
import { lossyChannel } from './lossy-channel.ts';
import { measureTrainingMemory } from '../../host/deploy/board-module.ts';
import { runInV8 } from '../harness/runtimes/reference-run.ts';
import { DeployError } from '../../host/deploy/errors.ts';
import { skipReason } from '../setup/tool-list.ts';
import { edgeRuns, edgeTestModule } from './runs.ts';

const OUT = fileURLToPath(new URL('../../build/test-cortex-m/', import.meta.url));
/** The linker script reserves 16 KiB of stack (counted by arm-none-eabi-size as bss). */
const STACK_RESERVED = 16 * 1024;
const TOOLS = ['wasm2c', 'armGcc', 'armNewlib', 'qemuArm'] as const;
// includes iris20-pair-tanh-mtj-pairs: the pair algorithm on the simulated HAL's MTJ pairs, integer only
const runs = edgeRuns().filter((r) => r.name.startsWith('xor-pgaf-tanh') || r.name.startsWith('iris20'));

describe.skipIf(skipReason(TOOLS))(`Cortex-M3 (QEMU mps2-an385) ${skipReason(TOOLS) || ''}`, () => {
  let wasm: Uint8Array;
  beforeAll(async () => {
    wasm = await edgeTestModule(edgeRuns());
  });

  it.each(runs.map((r) => [r.name, r] as const))('%s: bit-identical weights to V8, within the layout’s linear memory', async (_n, run) => {
    const need = measureTrainingMemory(wasm, run.network).linearBytes;
    const draws = run.draws === 'prng' ? 'prng' : 'import';
    const build = buildCortexM({
      wasm, configHeader: cConfigHeader({ network: run.network, draws, linearMemoryLimit: need }, run.name),
      stream: encodeTrainingStream(run.data, run.network.layout[0], run.epochs), linearMemoryBytes: need, halSeed: run.halSeed, dir: join(OUT, run.name),
    });
    const q = runQemu(build.elf, run.network.layout);
    const v8 = await runInV8(run);
    v8.parameters.weights.forEach((w, l) => {
      expect(Array.from(q.parameters.weights[l]), `W${l}`).toEqual(Array.from(w));
      expect(Array.from(q.parameters.biases[l]), `B${l}`).toEqual(Array.from(v8.parameters.biases[l]));
    });
    expect(q.epochs.map((e) => e.correct)).toEqual(v8.correctPerEpoch);
    expect(q.runtime).toBe('wasm2c-cortex-m3');
    expect(q.memory.linearBytes).toBe(need);
    expect(q.memory.linearBytes).toBeLessThan(65536);
    expect(q.memory.stackBytes).toBeGreaterThan(0);
    console.log(`[cortex-m3] ${run.name}: linear memory ${q.memory.linearBytes} B, stack ${q.memory.stackBytes} B, flash ${build.sizes.text + build.sizes.data} B, static RAM ${build.sizes.data + build.sizes.bss - STACK_RESERVED} B + stack, ${((q.seconds / (run.data.n * run.epochs)) * 1e3).toFixed(2)} ms/sample wall (emulated, incl. boot)`);
  });

  it.skipIf(skipReason(['cc', 'wasmRtImpl']))('a damaged stream (recorded from a lossy native session): the same NAKs and weights bit-identical to V8', async () => {
    // The host side needs a live board to resend to: run it against the native build over a lossy line,
    // record every byte the board got, and replay exactly those bytes to the emulated Cortex-M.
    const run = runs.find((r) => r.name.startsWith('iris20-pgaf'))!;
    const need = measureTrainingMemory(wasm, run.network).linearBytes;
    const draws = run.draws === 'prng' ? 'prng' : 'import';
    const objs = compileNativeObjects(wasm, join(OUT, 'native'));
    const exe = linkNative(objs, cConfigHeader({ network: run.network, draws, linearMemoryLimit: 65536 * 16 }, run.name), run.name);
    const channel = lossyChannel(4242, 0.25);
    const native = await runNativeLinked(exe, trainingCommands(run.data, run.network.layout[0], run.epochs), run.network.layout, { channel, link: { window: 8, timeoutMs: 150 }, args: ['--hal-seed', String(run.halSeed)] });
    expect(native.link.crcNaks + native.link.orderNaks).toBeGreaterThan(0);
    const build = buildCortexM({
      wasm, configHeader: cConfigHeader({ network: run.network, draws, linearMemoryLimit: need }, run.name),
      stream: native.received, linearMemoryBytes: need, halSeed: run.halSeed, dir: join(OUT, 'lossy-replay'),
    });
    const q = runQemu(build.elf, run.network.layout);
    const v8 = await runInV8(run);
    v8.parameters.weights.forEach((w, l) => {
      expect(Array.from(q.parameters.weights[l]), `W${l}`).toEqual(Array.from(w));
      expect(Array.from(q.parameters.biases[l]), `B${l}`).toEqual(Array.from(v8.parameters.biases[l]));
    });
    expect(q.link).toEqual(native.link);
    expect(q.drawSource).toBe('module-prng');
    console.log(`[cortex-m3] lossy replay: ${native.received.length} bytes with ${JSON.stringify(channel.faults)}, ${q.link.crcNaks} CRC NAKs, ${q.link.orderNaks} order NAKs, ${q.link.acks} ACKs`);
  });

  it('refuses to start when the board gives less linear memory than the layout needs', () => {
    const run = runs[0];
    const need = measureTrainingMemory(wasm, run.network).linearBytes;
    const build = buildCortexM({
      wasm, configHeader: cConfigHeader({ network: run.network, draws: 'import', linearMemoryLimit: need - 8 }, 'too small'),
      stream: encodeTrainingStream(run.data, run.network.layout[0], 1), linearMemoryBytes: need - 8, halSeed: 1, dir: join(OUT, 'too-small'),
    });
    expect(() => runQemu(build.elf, run.network.layout)).toThrow(DeployError);
    try {
      runQemu(build.elf, run.network.layout);
    } catch (e) {
      expect((e as Error).message).toContain('! -101 training memory exceeds the board');
    }
  });
});
