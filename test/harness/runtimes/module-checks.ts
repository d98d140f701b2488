/**
 * Checks that a module can run outside V8 on a microcontroller runtime, with wabt's native tools:
 *   - it validates with every post-MVP feature wabt 1.0.32 enables by default disabled
 *     (the others — threads, tail calls, exceptions, memory64, GC … — are off unless enabled);
 *   - no floating-point type, instruction or global (a Cortex-M0+/M3 has no FPU);
 *   - no memory.grow (wasm3's memoryLimit and WAMR's truncated memory both assume it);
 *   - it imports exactly env.mtj_sample (i32 ×5) → nil, the documented ABI.
 */
import { runTool } from './run-tool.ts';
import { systemCommand } from './system-command.ts';

export const MVP_DISABLE_FLAGS = [
  '--disable-mutable-globals', '--disable-saturating-float-to-int', '--disable-sign-extension', '--disable-simd',
  '--disable-multi-value', '--disable-bulk-memory', '--disable-reference-types',
];

export interface ModuleCheckReport {
  mvpValid: boolean;
  validateOutput: string;
  /** Disassembly lines with an f32/f64 instruction, and f32/f64 in the type or global section. */
  floatUses: string[];
  growUses: string[];
  /** "module.name (params) -> results" per import. */
  imports: string[];
}

export const DOCUMENTED_IMPORTS = ['env.mtj_sample (i32, i32, i32, i32, i32) -> nil'];

export function checkModule(wasmPath: string): ModuleCheckReport {
  const v = runTool(systemCommand('wasm-validate'), [...MVP_DISABLE_FLAGS, wasmPath], { allowFailure: true });
  const details = runTool(systemCommand('wasm-objdump'), ['-x', wasmPath]).stdout;
  const code = runTool(systemCommand('wasm-objdump'), ['-d', wasmPath]).stdout;
  const lines = code.split('\n');
  const floatUses = lines.filter((l) => /\|\s*f(32|64)[.\s]|\|\s*\S*\.(convert|trunc|reinterpret|demote|promote)/.test(l) || /\|.*f(32|64)\./.test(l));
  const types = [...details.matchAll(/^ - type\[\d+\] (.*)$/gm)].map((m) => m[1]);
  const globals = [...details.matchAll(/^ - global\[\d+\] (.*)$/gm)].map((m) => m[1]);
  floatUses.push(...[...types, ...globals].filter((t) => /f(32|64)/.test(t)).map((t) => `type/global: ${t}`));
  const typeOf = new Map(types.map((t, i) => [i, t]));
  const imports = [...details.matchAll(/^ - func\[\d+\] sig=(\d+) <[^>]*> <- (\S+)$/gm)].map((m) => `${m[2]} ${typeOf.get(Number(m[1])) ?? '?'}`);
  const otherImports = [...details.matchAll(/^ - (memory|table|global)\[\d+\].*<- (\S+)$/gm)].map((m) => `${m[2]} (${m[1]})`);
  return {
    mvpValid: v.status === 0,
    validateOutput: v.stdout + v.stderr,
    floatUses,
    growUses: lines.filter((l) => /\|\s*memory\.grow/.test(l)),
    imports: [...imports, ...otherImports],
  };
}
