/*
 * CRC-16/CCITT-FALSE, the checksum of the serial frames (st_frame.h): polynomial x^16 + x^12 + x^5 + 1
 * (0x1021), MSB first (not reflected), initial value 0xFFFF, no final xor. Check value: "123456789" →
 * 0x29B1. host/deploy/crc16.ts computes the same. It detects every error burst of ≤ 16 bits and
 * every odd number of bit errors; a random frame passes with probability 2^-16.
 */
#ifndef ST_CRC16_H
#define ST_CRC16_H
#include <stdint.h>

#define ST_CRC16_INIT 0xFFFFu

/* Continues a CRC over len more bytes (start with ST_CRC16_INIT). Bitwise: no table, 8 shifts per byte. */
uint16_t st_crc16_update(uint16_t crc, const uint8_t *data, uint32_t len);

#endif
