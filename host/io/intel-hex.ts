/**
 * Intel HEX (the format avr-objcopy writes and avrdude reads), decoded into a flash image. Each line is
 * `:LLAAAATT<data>CC`: LL data bytes at address AAAA, record type TT (00 data, 01 end of file,
 * 02 extended segment address ×16, 04 extended linear address ×65536, 03/05 start address, ignored),
 * CC the two's complement of the byte sum. Every line is checked (form, length, checksum), and the
 * image must end with an end-of-file record; errors name the file and the line (IntelHexError).
 */
import { IntelHexError } from './errors.ts';

export interface FlashImage {
  /** Bytes from address 0 to the highest byte written; gaps are 0xFF (erased flash). */
  bytes: Uint8Array;
  /** Data bytes the records hold (gaps not counted). */
  dataBytes: number;
}

/** Decodes `text` (the contents of `file`) into a flash image of at most `maxBytes`. */
export function decodeIntelHex(text: string, file: string, maxBytes = 1 << 20): FlashImage {
  const chunks: { at: number; data: Uint8Array }[] = [];
  let base = 0;
  let end = 0;
  let dataBytes = 0;
  let eof = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const no = i + 1;
    if (line === '') continue;
    const fail = (reason: string): never => {
      throw new IntelHexError(file, no, reason);
    };
    if (eof) fail('data after the end-of-file record');
    if (!/^:([0-9A-Fa-f]{2})+$/.test(line)) fail('expected ":" and pairs of hex digits');
    const b = Uint8Array.from(line.slice(1).match(/../g)!, (h) => parseInt(h, 16));
    if (b.length < 5 || b.length !== b[0] + 5) fail(`the record holds ${b.length} bytes, its length field says ${b[0]} data bytes (+5)`);
    if (b.reduce((s, v) => s + v, 0) & 0xff) fail('checksum does not match');
    const type = b[3];
    const data = b.subarray(4, 4 + b[0]);
    if (type === 0x00) {
      const at = base + ((b[1] << 8) | b[2]);
      if (at + data.length > maxBytes) fail(`data at 0x${at.toString(16)} ends past the ${maxBytes}-byte flash`);
      chunks.push({ at, data });
      end = Math.max(end, at + data.length);
      dataBytes += data.length;
    } else if (type === 0x01) eof = true;
    else if (type === 0x02) base = ((data[0] << 8) | data[1]) * 16;
    else if (type === 0x04) base = ((data[0] << 8) | data[1]) * 65536;
    else if (type !== 0x03 && type !== 0x05) fail(`unknown record type ${type}`);
  }
  if (!eof) throw new IntelHexError(file, lines.length, 'no end-of-file record (:00000001FF): the file is cut short');
  const bytes = new Uint8Array(end).fill(0xff);
  for (const c of chunks) bytes.set(c.data, c.at);
  return { bytes, dataBytes };
}
