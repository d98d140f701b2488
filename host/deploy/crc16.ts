/**
 * CRC-16/CCITT-FALSE, the checksum of the board protocol's frames (boards/glue/portable/st_crc16.h):
 * polynomial 0x1021, MSB first, initial value 0xFFFF, no final xor; "123456789" → 0x29B1.
 */
export const CRC16_INIT = 0xffff;

export function crc16(data: Uint8Array, crc = CRC16_INIT): number {
  let c = crc;
  for (const b of data) {
    c ^= b << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}
