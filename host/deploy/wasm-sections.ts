/**
 * Small edits of a WebAssembly binary: set the memory section's limits, and add/read a custom
 * section. Sections are (id u8, size LEB128 u32, payload); custom sections (id 0) may appear anywhere.
 */
import { ModuleMismatchError } from './errors.ts';

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function readUleb(b: Uint8Array, at: number): [value: number, next: number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    if (at >= b.length) throw new RangeError('LEB128 runs past the end');
    const byte = b[at++];
    v += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [v, at];
    shift += 7;
  }
}

interface Section {
  id: number;
  start: number;
  payloadStart: number;
  end: number;
}

export function sections(wasm: Uint8Array, file = '(module)'): Section[] {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) {
    throw new ModuleMismatchError(file, 'magic', 'not a WebAssembly module (expected \\0asm)');
  }
  const out: Section[] = [];
  let at = 8;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++];
    const [size, payloadStart] = readUleb(wasm, at);
    const end = payloadStart + size;
    if (end > wasm.length) throw new ModuleMismatchError(file, 'length', `section ${id} at byte ${start} runs past the end (truncated module)`);
    out.push({ id, start, payloadStart, end });
    at = end;
  }
  return out;
}

/** Replaces the (single, defined) memory's limits with min = max = pages: the module can neither grow nor be grown. */
export function setMemoryPages(wasm: Uint8Array, pages: number): Uint8Array {
  const mem = sections(wasm).find((s) => s.id === 5);
  if (!mem) throw new RangeError('module defines no memory');
  const payload = [1, 0x01, ...uleb(pages), ...uleb(pages)];
  const section = [5, ...uleb(payload.length), ...payload];
  const out = new Uint8Array(wasm.length - (mem.end - mem.start) + section.length);
  out.set(wasm.subarray(0, mem.start), 0);
  out.set(section, mem.start);
  out.set(wasm.subarray(mem.end), mem.start + section.length);
  return out;
}

/** Appends a custom section `name` holding UTF-8 JSON. */
export function addJsonSection(wasm: Uint8Array, name: string, value: unknown): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = new TextEncoder().encode(JSON.stringify(value));
  const payload = [...uleb(nameBytes.length), ...nameBytes, ...body];
  const section = [0, ...uleb(payload.length), ...payload];
  const out = new Uint8Array(wasm.length + section.length);
  out.set(wasm, 0);
  out.set(section, wasm.length);
  return out;
}

/** The JSON of custom section `name`, or undefined when the module has none. */
export function readJsonSection(wasm: Uint8Array, name: string, file = '(module)'): unknown {
  for (const s of sections(wasm, file)) {
    if (s.id !== 0) continue;
    const [len, at] = readUleb(wasm, s.payloadStart);
    if (new TextDecoder().decode(wasm.subarray(at, at + len)) !== name) continue;
    try {
      return JSON.parse(new TextDecoder().decode(wasm.subarray(at + len, s.end)));
    } catch {
      throw new ModuleMismatchError(file, `custom section ${name}`, 'not valid JSON');
    }
  }
  return undefined;
}
