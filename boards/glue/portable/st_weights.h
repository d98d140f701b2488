/*
 * Reader of the spintrain weights file ("STWT" v1, host/io/weights-file.ts) on the board: checks
 * length, magic, version, CRC-32 and the layout, then copies tensors W<l>, B<l> (Q24 i32, little-endian)
 * into the engine's plan. No allocation; the file may sit in flash.
 */
#ifndef ST_WEIGHTS_H
#define ST_WEIGHTS_H
#include <stdint.h>
#include "st_config.h"

/* CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF), as zlib's crc32. */
uint32_t st_crc32(const uint8_t *data, uint32_t len);

/* Called for each tensor; returns ST_OK or an error that stops the walk. */
typedef int (*st_tensor_fn)(void *user, const char *name, uint8_t name_len, const uint8_t *data_le, uint32_t count);

/* Validates the file against cfg's layout and calls fn for each tensor. Returns ST_OK or ST_ERR_WEIGHTS_*. */
int st_weights_walk(const uint8_t *file, uint32_t len, const st_config *cfg, st_tensor_fn fn, void *user);

#endif
