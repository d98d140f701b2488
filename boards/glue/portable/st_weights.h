/*
 * Reader of the spintrain weights file ("STWT" v1 and v2, host/io/weights-file.ts) on the board: checks
 * length, magic, version, CRC-32 and the layout, then hands each tensor to a callback, which copies
 * W<l>, B<l> (little-endian) into the engine's plan. No allocation; the file may sit in flash.
 *
 * Layout (all little-endian), as decodeWeights reads it:
 *   "STWT" · version:u16 (1 or 2) · flags:u16 = 0 · header_len:u32 · payload_len:u32 · header · payload · crc32:u32
 *   header  = layers:u16 · width:u32 × layers · activation:str8 · frac_weights:u8 (= 24) · frac_acts:u8 ·
 *             tensors:u16 · { name:str8 · count:u32 · [v2: bits:u8 ∈ {32,16,8} · frac_bits:u8 ≤ 31] } × tensors ·
 *             meta (skipped) · zero padding to 4 bytes
 *   payload = per tensor, in table order: count × bits/8 bytes (v1: bits 32, frac_bits = frac_weights),
 *             zero-padded to ceil(count · bits/8 / 4) · 4 bytes
 *   payload_len = Σ of those padded sizes; header_len and payload_len multiples of 4.
 */
#ifndef ST_WEIGHTS_H
#define ST_WEIGHTS_H
#include <stdint.h>
#include "st_config.h"

/* CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF), as zlib's crc32. */
uint32_t st_crc32(const uint8_t *data, uint32_t len);

/* Called for each tensor: count elements of bits (32, 16 or 8) bits, value = integer · 2^−frac_bits, at data_le
 * (count · bits/8 bytes); returns ST_OK or an error that stops the walk. */
typedef int (*st_tensor_fn)(void *user, const char *name, uint8_t name_len, const uint8_t *data_le, uint32_t count, uint8_t bits, uint8_t frac_bits);

/* Validates the file against cfg's layout and calls fn for each tensor. Returns ST_OK or ST_ERR_WEIGHTS_*. */
int st_weights_walk(const uint8_t *file, uint32_t len, const st_config *cfg, st_tensor_fn fn, void *user);

#endif
