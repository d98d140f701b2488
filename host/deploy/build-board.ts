/**
 * `spintrain build`: everything a board needs to train on its own, written to one directory:
 *   spintrain.wasm        the release module built for the board (--lowMemoryLimit below 64 KiB,
 *                         memory fixed at the layout's pages, "spintrain.build" record); with narrow weights
 *                         (network.weightBits 16|8, or a v2 weights file's width) the assembly/narrow.ts build,
 *                         region W 2 or 1 bytes per weight (board-module.ts), momentum 0
 *   weights.stw           the trained (--weights) or initial (seeded) weights, spintrain weights format
 *   build.json            board, runtime, layout, memory figures (with the RAM the runtime needs, by parts:
 *                         runtime-ram.ts), files
 *   spintrain/            Arduino sketch: spintrain.ino, the port, src/{app,portable,hal,runtime} glue and the
 *                         generated headers in src/generated (module bytes, weights bytes, config, board, input);
 *                         with --runtime wasm2c the module as C instead of bytes (spintrain.c/.h and wabt's
 *                         wasm-rt.h, wasm-rt-impl.h: wasm2c-sketch.ts) and the bare-metal wasm2c runtime
 *   platformio/           the same as a PlatformIO project (platformio-project.ts), for a profile with `platformio`
 *   arduino-library/spintrain/  the glue as an Arduino library with the board's example (arduino-library.ts), for a
 *                         profile with `arduino`
 * Every input is checked before anything is written (unknown board, board without a WebAssembly
 * runtime, layout that does not fit the linear-memory budget, runtime + module that do not fit the RAM,
 * bad weights file, module for another layout, wasm2c missing); each file is then written atomically.
 */
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { findBoard } from '../../boards/index.ts';
import { validateBoardProfile, type BoardProfile } from '../../boards/board-profile.ts';
import { DEFAULT_PAIR_STEP, defaultNetworkConfig, validateNetworkConfig, type NetworkConfig, type TrainingAlgorithm } from '../engine/config.ts';
import { SpintrainEngine, type Draws } from '../engine/wasm-engine.ts';
import { applyWeightsFile, configOf, engineToWeightsFile } from '../engine/checkpoint.ts';
import { loadWeights, encodeWeights, type WeightsFile } from '../io/weights-file.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { loadCalibration, type Calibration } from '../device/calibration.ts';
import { boardAscFlags, checkBoardModule, compileEngine, finishBoardModule, measureTrainingMemory, moduleWeightBits, type BoardBuildInfo, type TrainingMemory } from './board-module.ts';
import { cByteArrayHeader } from './c-byte-array.ts';
import { cConfigHeader, checkBoardNetwork, type BoardDrawSource } from './c-config-header.ts';
import { cBoardHeader } from './c-board-header.ts';
import { boardAppliesInputTransform, cInputHeader } from './c-input-header.ts';
import { savedInputTransform } from '../engine/saved-model.ts';
import { encodeInputTransform, INPUT_TRANSFORM_META, type InputTransform } from '../data/input-transform.ts';
import { MAX_FRAME_PAYLOAD } from './serial-stream.ts';
import { GLUE_DIR } from './glue-sources.ts';
import { linearBudget } from './linear-budget.ts';
import { checkRuntimeRam, type RuntimeKind, type RuntimeRam } from './runtime-ram.ts';
import { findWasm2c, translateModule, type Wasm2cFiles } from './wasm2c-sketch.ts';
import { SKETCH_INO, SKETCH_PORT } from './sketch-files.ts';
import { PLATFORMIO_DIR, platformioProject } from './platformio-project.ts';
import { ARDUINO_LIBRARY_DIR, arduinoLibrary } from './arduino-library.ts';
import { packageVersion } from '../package-root.ts';
import { BoardCannotHostWasmError, BuildArgumentError, LayoutTooLargeError, ModuleMismatchError } from './errors.ts';
import { RegularFileError, readRegularFileSync } from '../io/regular-file.ts';

export interface BoardBuildRequest {
  /** A board id or alias (boards/index.ts), or a profile (e.g. one with mtjPairs wired; validated). */
  board: string | BoardProfile;
  outDir: string;
  /** Network settings (layout, activation, …, algorithm pair); the weights file's configuration wins where given. */
  network?: Partial<NetworkConfig<TrainingAlgorithm>>;
  /** Start from these weights (a spintrain weights file / checkpoint); else the seeded initial weights. */
  weightsFile?: string;
  /** Use this prebuilt board module instead of compiling (checked against board and layout). */
  wasmFile?: string;
  /** MTJ array calibration (host/device/calibration.ts) for the current tables. */
  calibrationFile?: string;
  /** 'import' (default): env.mtj_sample on the board (MTJs, or the chip's RNG); 'prng': the module's generator. */
  draws?: BoardDrawSource;
  /** The runtime the sketch uses (default the profile's): wasm3, WAMR, or wasm2c (the module ahead of time as C). */
  runtime?: RuntimeKind;
}

export interface BoardBuildResult {
  board: BoardProfile;
  runtime: RuntimeKind;
  network: NetworkConfig<TrainingAlgorithm>;
  memory: TrainingMemory;
  /** Linear-memory budget for the runtime [bytes]. */
  budgetBytes: number;
  /** RAM the runtime and the module need on the board, by parts. */
  ram: RuntimeRam;
  info: BoardBuildInfo;
  files: string[];
}

export const DEFAULT_BOARD_LAYOUT = [64, 32, 10];

/**
 * Linear-memory need of a network within the board's budget for the runtime (linear-budget.ts), or
 * LayoutTooLargeError. The RAM the runtime needs besides is checked once the module is built (runtime-ram.ts).
 */
export function checkFits(board: BoardProfile, network: NetworkConfig<TrainingAlgorithm>, memory: TrainingMemory, runtime: RuntimeKind = board.runtime.kind === 'wamr' ? 'wamr' : 'wasm3'): void {
  if (board.runtime.kind === 'host-tethered') return;
  const budget = linearBudget(board, runtime);
  if (memory.linearBytes > budget) {
    throw new LayoutTooLargeError(board.id, network.layout, memory.linearBytes, memory.planBytes, budget, board.memory.ramBytes);
  }
}

export function requireWasmRuntime(board: BoardProfile): asserts board is BoardProfile & { runtime: { kind: 'wasm3' | 'wamr' } } {
  if (board.runtime.kind === 'host-tethered') {
    throw new BoardCannotHostWasmError(
      board.id,
      `${board.cpu.core} has ${board.memory.ramBytes} bytes of RAM and ${board.memory.flashBytes} bytes of flash, too little for wasm3 (143 KB of flash, ~42 KB of RAM besides linear memory: runtime-ram.ts), WAMR or a wasm2c build; ` +
        'it runs host-tethered over Firmata: the host trains and the board drives the MTJs (spintrain train --device …)',
    );
  }
}

async function readWeights(path: string, layout: number[] | undefined): Promise<{ file: WeightsFile; config: NetworkConfig }> {
  const file = await loadWeights(path);
  const config = configOf(file, path);
  if (layout && layout.join('-') !== file.layout.join('-')) {
    throw new BuildArgumentError('--layout', `${layout.join(',')} differs from the layout of ${path} (${file.layout.join(',')})`);
  }
  return { file, config };
}

export async function buildForBoard(req: BoardBuildRequest): Promise<BoardBuildResult> {
  // 1. Check every input; nothing is written until all pass.
  const board = typeof req.board === 'string' ? findBoard(req.board) : validateBoardProfile(req.board);
  requireWasmRuntime(board);
  const runtime: RuntimeKind = req.runtime ?? board.runtime.kind;
  const wasm2cTools = runtime === 'wasm2c' ? findWasm2c() : undefined; // before the compile: a missing wasm2c writes nothing
  const weights = req.weightsFile ? await readWeights(req.weightsFile, req.network?.layout) : undefined;
  if (weights && req.network?.weightBits !== undefined && req.network.weightBits !== (weights.config.weightBits ?? 32)) {
    throw new BuildArgumentError('--weight-bits', `${req.network.weightBits} differs from the ${weights.config.weightBits ?? 32}-bit weights of ${req.weightsFile}: drop --weight-bits or give that value`);
  }
  const requested: NetworkConfig<TrainingAlgorithm> = { ...defaultNetworkConfig, layout: DEFAULT_BOARD_LAYOUT, ...req.network };
  if (requested.weightBits === 32) delete requested.weightBits; // the release build's configuration has no weightBits
  const network: NetworkConfig<TrainingAlgorithm> = validateNetworkConfig(weights?.config ?? requested);
  // bits per stored weight (weight-format.ts): the module build, region W's element size, the weights file's W tensors
  const weightBits = network.weightBits ?? 32;
  const calibration: Calibration | undefined = req.calibrationFile ? loadCalibration(req.calibrationFile, board.id) : undefined;
  const budget = linearBudget(board, runtime);
  if (budget === 0 && req.runtime === 'wamr') {
    throw new BuildArgumentError('--runtime', `wamr allocates whole 64 KiB pages, and board ${board.id} gives linear memory ${board.runtime.wasmMemoryLimitBytes} bytes, less than one: use wasm3 or wasm2c`);
  }
  const draws = req.draws ?? 'import';
  checkBoardNetwork(network, draws);
  if (1 + network.layout[0] > MAX_FRAME_PAYLOAD) {
    throw new BuildArgumentError('--layout', `${network.layout[0]} inputs: a board's serial frame carries at most ${MAX_FRAME_PAYLOAD - 1} (ST_FRAME_MAX_PAYLOAD in boards/glue/portable/st_frame.h)`);
  }
  if (network.algorithm === 'pair' && !board.mtjPairs) {
    throw new BuildArgumentError('--algo', `pair reads MTJ pairs, and board ${board.id} has none: add mtjPairs (bias pins and ADC channels per twin) to its profile`);
  }

  let wasm: Uint8Array;
  let info: BoardBuildInfo;
  let memory: TrainingMemory;
  if (req.wasmFile) {
    try {
      wasm = new Uint8Array(readRegularFileSync(req.wasmFile));
    } catch (e) {
      if (e instanceof RegularFileError) throw new ModuleMismatchError(req.wasmFile, 'file', e.reason);
      throw e;
    }
    info = checkBoardModule(wasm, req.wasmFile, board.id, network.layout);
    const stored = moduleWeightBits(wasm);
    if (stored !== weightBits) throw new ModuleMismatchError(req.wasmFile, 'weightBits', `the module stores ${stored}-bit weights, the build asks for ${weightBits}`);
    memory = measureTrainingMemory(wasm, network);
    checkFits(board, network, memory, runtime);
  } else {
    const compiled = await compileEngine(boardAscFlags(budget), weightBits);
    memory = measureTrainingMemory(compiled, network);
    checkFits(board, network, memory, runtime);
    const lowMemoryLimit = boardAscFlags(budget).length ? budget : undefined;
    ({ wasm, info } = finishBoardModule(compiled, { board: board.id, layout: network.layout, linearBytes: memory.linearBytes, budgetBytes: budget, lowMemoryLimit, ...(weightBits !== 32 ? { weightBits } : {}) }));
  }
  const ram = checkRuntimeRam(board, { runtime, moduleBytes: wasm.length, pages: info.pages, budgetBytes: budget });
  const translated: Wasm2cFiles | undefined = wasm2cTools ? await translateModule(wasm, wasm2cTools) : undefined;

  // 2. Weights in the project's format, through an engine running the board module itself (pair: a
  // pair source that is never read, since nothing trains here).
  const engineDraws: Draws = network.algorithm === 'pair' ? { kind: 'pair', source: { stepZ: network.pairStep ?? DEFAULT_PAIR_STEP, readLayer: () => {} }, via: 'import' } : { kind: 'prng' };
  const engine = new SpintrainEngine(network, engineDraws, wasm);
  // The weights file's input transform (meta.inputTransform; an older file's folded reflection is
  // unfolded), kept in weights.stw and emitted as spintrain_input.h; raw u8 when it records none.
  const stored = weights ? savedInputTransform(weights.file, req.weightsFile!) : undefined;
  if (weights) applyWeightsFile(engine, stored!.weights, req.weightsFile!);
  const input: InputTransform = stored?.transform ?? { kind: 'raw-u8', features: network.layout[0] };
  const weightsBytes = encodeWeights(engineToWeightsFile(engine, {
    board: board.id, source: weights ? `weights ${req.weightsFile}` : `initial, seed ${network.seed}`, [INPUT_TRANSFORM_META]: encodeInputTransform(input),
  }));

  // 3. Outputs: the sketch's files (keyed by their path in DIR/spintrain/), then the PlatformIO project and the
  // Arduino library made from them, for a profile that names its PlatformIO and Arduino targets.
  const out = req.outDir;
  const files = new Map<string, Uint8Array | string>();
  files.set(join(out, 'spintrain.wasm'), wasm);
  files.set(join(out, 'weights.stw'), weightsBytes);
  const sketch = new Map<string, Uint8Array | string>();
  if (translated) {
    for (const [name, text] of translated) sketch.set(`src/generated/${name}`, text);
  } else {
    sketch.set('src/generated/spintrain_module.h', cByteArrayHeader('spintrain_module', wasm, `spintrain module for ${board.id}, layout ${network.layout.join('-')}`));
  }
  sketch.set('src/generated/spintrain_weights.h', cByteArrayHeader('spintrain_weights', weightsBytes, `spintrain weights file (STWT) for layout ${network.layout.join('-')}`));
  sketch.set('src/generated/spintrain_config.h', cConfigHeader({ network, draws, linearMemoryLimit: budget }, `Network for ${board.id}`));
  sketch.set('src/generated/spintrain_input.h', cInputHeader(input, `Input transform for ${network.layout[0]} inputs (${input.kind})`));
  sketch.set('src/generated/spintrain_board.h', cBoardHeader(board, calibration, undefined, { bytes: wasm.length, pages: info.pages, runtime, budgetBytes: budget, weightBits }));
  const runtimeFile = { wasm3: 'st_wasm3', wamr: 'st_wamr', wasm2c: 'st_wasm2c' }[runtime];
  const glueFiles: [string, string][] = [
    ...readdirSync(join(GLUE_DIR, 'portable')).map((f) => [join('portable', f), `src/portable/${f}`] as [string, string]),
    ['app/st_app.c', 'src/app/st_app.c'],
    ['app/st_app.h', 'src/app/st_app.h'],
    ['hal/st_hal_gpio.c', 'src/hal/st_hal_gpio.c'],
    [`runtime/${runtimeFile}.c`, `src/runtime/${runtimeFile}.c`],
    [`runtime/${runtimeFile}.h`, `src/runtime/${runtimeFile}.h`],
    // wasm2c's bare-metal runtime: static linear memory, traps unwound to the protocol
    ...(runtime === 'wasm2c'
      ? [
          ['cortex-m/wasm_rt_static.c', 'src/runtime/wasm_rt_static.c'] as [string, string],
          ['runtime/st_wasm2c_access.h', 'src/runtime/st_wasm2c_access.h'] as [string, string],
        ]
      : []),
    ['ports/arduino/spintrain.ino', SKETCH_INO],
    ['ports/arduino/st_port_arduino.cpp', SKETCH_PORT],
  ];
  for (const [from, to] of glueFiles) sketch.set(to, readFileSync(join(GLUE_DIR, from)));
  for (const [path, data] of sketch) files.set(join(out, 'spintrain', path), data);
  const version = await packageVersion();
  if (board.platformio) {
    for (const [path, data] of platformioProject(board, sketch, version, runtime)) files.set(join(out, PLATFORMIO_DIR, path), data);
  }
  if (board.arduino) {
    for (const [path, data] of arduinoLibrary({ board, sketch, version, layout: network.layout, runtime })) files.set(join(out, ARDUINO_LIBRARY_DIR, path), data);
  }
  const manifest = {
    board: board.id,
    runtime,
    layout: network.layout,
    // bits per stored weight: 32 (i32 Q24), 16 (i16 Q12) or 8 (i8 Q6); region W holds weightBits/8 bytes per weight
    weightBits,
    network,
    draws,
    input: { kind: input.kind, reflected: input.reflect?.reduce((a, b) => a + b, 0) ?? 0, boardApplies: boardAppliesInputTransform(input) },
    memory: {
      ...memory, budgetBytes: budget, ramBytes: board.memory.ramBytes, pages: info.pages,
      // what the board's RAM must hold (runtime-ram.ts): linear memory and the runtime's share, by parts
      runtimeRam: { runtime, parts: ram.parts, runtimeBytes: ram.runtimeBytes, totalBytes: ram.totalBytes },
    },
    module: { bytes: wasm.length, sha256: createHash('sha256').update(wasm).digest('hex'), lowMemoryLimit: info.lowMemoryLimit ?? null },
    files: [...files.keys()].map((f) => relative(out, f)).sort(), // relative: an --out ending in / must not cut names
  };
  files.set(join(out, 'build.json'), JSON.stringify(manifest, null, 2) + '\n');
  for (const [path, data] of files) {
    mkdirSync(dirname(path), { recursive: true });
    await writeFileAtomic(path, data);
  }
  return { board, runtime, network, memory, budgetBytes: budget, ram, info, files: [...files.keys()] };
}
