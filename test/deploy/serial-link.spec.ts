// The board protocol's frames (boards/glue/portable/st_frame.h): length, CRC-16/CCITT-FALSE, ACK/NAK and
// resynchronisation, run against the native build of the board glue (wasm2c + portable glue + simulated
// HAL). Sent frame by frame with go-back-N (host/deploy/frame-link.ts) over a line that drops, flips,
// inserts and cuts bytes and loses whole frames, the training runs still end with weights bit-identical
// to V8, and no training step runs twice. The banner names the draw source.
import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInV8, type RunResult } from '../harness/runtimes/reference-run.ts';
import { compileNativeObjects, linkNative, runNativeLinked, type NativeObjects } from '../harness/runtimes/wasm2c-native.ts';
import { cConfigHeader } from '../../host/deploy/c-config-header.ts';
import { crc16 } from '../../host/deploy/crc16.ts';
import { encodeCommands, encodeFrame, trainingCommands } from '../../host/deploy/serial-stream.ts';
import { runTool } from '../harness/runtimes/run-tool.ts';
import { skipReason } from '../setup/tool-list.ts';
import { edgeRuns, edgeTestModule } from './runs.ts';
import { lossyChannel } from './lossy-channel.ts';
import { FrameTooLongError } from '../../host/deploy/frame-link.ts';

const OUT = fileURLToPath(new URL('../../build/test-serial-link/', import.meta.url));
const TOOLS = ['wasm2c', 'cc', 'wasmRtImpl'] as const;
const runs = edgeRuns().filter((r) => ['xor-pgaf-tanh-mtj-import', 'iris20-pgaf-tanh-momentum-prng', 'mnist20-bp-relu-prng'].includes(r.name));
const LINK = { window: 8, timeoutMs: 150 };

describe('CRC-16/CCITT-FALSE and frames', () => {
  it('has the catalogue check value and frames as st_frame.h says', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x29b1);
    const f = encodeFrame({ cmd: 'E', payload: Uint8Array.of(3, 0) }, 258);
    expect(Array.from(f.subarray(0, 6))).toEqual([0x45, 2, 2, 0, 3, 0]);
    const crc = crc16(f.subarray(0, 6));
    expect([f[6], f[7]]).toEqual([crc & 0xff, crc >> 8]);
  });
});

describe.skipIf(skipReason(TOOLS))(`frames against the native board glue ${skipReason(TOOLS) || ''}`, () => {
  let objs: NativeObjects;
  const exes = new Map<string, string>();
  const v8 = new Map<string, RunResult>();
  beforeAll(async () => {
    objs = compileNativeObjects(await edgeTestModule(edgeRuns()), join(OUT, 'native'));
    for (const run of runs) {
      exes.set(run.name, linkNative(objs, cConfigHeader({ network: run.network, draws: run.draws === 'prng' ? 'prng' : 'import', linearMemoryLimit: 65536 * 16 }, run.name), run.name));
      v8.set(run.name, await runInV8(run));
    }
  }, 120_000);

  const expectV8 = (name: string, got: { parameters: RunResult['parameters']; epochs: { steps: number; correct: number }[] }, n: number): void => {
    const want = v8.get(name)!;
    want.parameters.weights.forEach((w, l) => {
      expect(Array.from(got.parameters.weights[l]), `W${l}`).toEqual(Array.from(w));
      expect(Array.from(got.parameters.biases[l]), `B${l}`).toEqual(Array.from(want.parameters.biases[l]));
    });
    expect(got.epochs.map((e) => e.correct)).toEqual(want.correctPerEpoch);
    expect(got.epochs.map((e) => e.steps)).toEqual(want.correctPerEpoch.map(() => n)); // no step ran twice or was skipped
  };

  it.each(runs.map((r) => [r.name, r] as const))('%s: ACKed frame by frame on a clean line, bit-identical to V8', async (_n, run) => {
    const got = await runNativeLinked(exes.get(run.name)!, trainingCommands(run.data, run.network.layout[0], run.epochs), run.network.layout, { args: ['--hal-seed', String(run.halSeed)], link: LINK });
    expectV8(run.name, got, run.data.n);
    expect(got.link).toEqual({ acks: got.stats.frames, crcNaks: 0, orderNaks: 0, sizeNaks: 0 });
    expect(got.stats.resends).toBe(0);
    expect(got.drawSource).toBe(run.draws === 'prng' ? 'module-prng' : 'sim');
  });

  it.each(runs.map((r) => [r.name, r] as const))('%s: a line that drops, flips, inserts and cuts bytes, and loses frames: NAKs, resends, still bit-identical', async (_n, run) => {
    for (const seed of [1, 2]) {
      const channel = lossyChannel(seed * 7919 + run.halSeed, 0.2);
      const t0 = performance.now();
      const got = await runNativeLinked(exes.get(run.name)!, trainingCommands(run.data, run.network.layout[0], run.epochs), run.network.layout, {
        args: ['--hal-seed', String(run.halSeed)], link: LINK, channel,
      });
      expectV8(run.name, got, run.data.n);
      const hit = Object.values(channel.faults).reduce((a, b) => a + b, 0);
      expect(hit).toBeGreaterThan(0);
      expect(got.stats.resends).toBeGreaterThan(0);
      expect(got.link.crcNaks + got.link.orderNaks + got.stats.timeouts).toBeGreaterThan(0);
      console.log(`[link] ${run.name} seed ${seed}: ${got.stats.frames} frames, ${hit} faults ${JSON.stringify(channel.faults)} → ${got.link.crcNaks} CRC NAKs, ${got.link.orderNaks} order NAKs, ${got.stats.timeouts} timeouts, ${got.stats.resends} frames resent; ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    }
  }, 120_000);

  it('a layout wider than the frame buffer: the board answers "size" and the host stops instead of resending', async () => {
    const network = { ...runs[1].network, layout: [1100, 4, 3] };
    const exe = linkNative(objs, cConfigHeader({ network, draws: 'prng', linearMemoryLimit: 65536 * 16 }, 'wide'), 'wide');
    const data = { x: new Uint8Array(1100), y: new Uint8Array(1), n: 1 };
    await expect(runNativeLinked(exe, trainingCommands(data, 1100, 1), network.layout, { link: LINK })).rejects.toThrow(FrameTooLongError);
  });

  it('a byte lost mid-frame, sent at once without a host: the board NAKs it and hunts for the next frame', () => {
    const run = runs[0];
    const stream = encodeCommands(trainingCommands(run.data, run.network.layout[0], 1));
    // frame 0 is 'E' (8 bytes), frame 1 the first 'S': drop its 5th byte
    const cut = Uint8Array.from([...stream.subarray(0, 8 + 4), ...stream.subarray(8 + 5)]);
    const raw = runTool(exes.get(run.name)!, ['--hal-seed', String(run.halSeed)], { input: cut }).stdout;
    // frame 1 swallowed frame 2's first byte: CRC NAK; the hunt finds frame 2 in what was buffered, but
    // frames 2, 3, … come without frame 1 (no host resends it here): each is NAKed "order", none runs
    expect(raw.split('\n').slice(0, 4)).toEqual(['ready wasm2c ' + raw.split(' ')[2] + ' draws sim', 'a 0', 'e 0', 'n 1 crc']);
    const lines = raw.trim().split('\n').slice(4);
    expect(lines.length).toBe(run.data.n - 1 + 3); // S 2..n, R, W, Q
    expect(lines.every((l) => l === 'n 1 order')).toBe(true);
  });
});
