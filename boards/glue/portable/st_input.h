/*
 * The model's input transform on the board: raw integer sensor readings (int32) → the u8 inputs the
 * network was trained on, exactly as the host computes them (host/data/input-transform.ts, checked bit
 * for bit by test/deploy/input-transform-c.spec.ts). Integer only. `spintrain build` writes the tables
 * into spintrain_input.h (ST_INPUT_TRANSFORM).
 *
 *   ST_INPUT_RAW_U8   u = clamp(x, 0, 255)
 *   ST_INPUT_MIN_MAX  u = 0 if range_i = 0 or x ≤ min_i; 255 if x ≥ min_i + range_i;
 *                     else floor((510·(x − min_i) + range_i) / (2·range_i)), the exact round-half-up of
 *                     (x − min_i)·255/range_i (64-bit intermediate)
 *   then, where bit i of reflect is set (reflect[i >> 3] >> (i & 7) & 1), u → 255 − u.
 *
 * ST_INPUT_HOST_ONLY: the model's scale has bounds that are not int32 integers (real-valued training
 * data); such inputs are quantised by whoever has the real values, and st_input_apply refuses.
 */
#ifndef ST_INPUT_H
#define ST_INPUT_H
#include <stdint.h>

#define ST_INPUT_RAW_U8 0
#define ST_INPUT_MIN_MAX 1
#define ST_INPUT_HOST_ONLY 2

typedef struct {
  uint32_t features;
  uint8_t kind;           /* ST_INPUT_RAW_U8, ST_INPUT_MIN_MAX or ST_INPUT_HOST_ONLY */
  const int32_t *min;     /* ST_INPUT_MIN_MAX: per feature */
  const uint32_t *range;  /* ST_INPUT_MIN_MAX: max − min per feature */
  const uint8_t *reflect; /* (features + 7) / 8 bytes, bit i: feature i reflected; NULL: none */
} st_input_transform;

/* Feature i of a raw reading as the network's u8 input (kind ST_INPUT_HOST_ONLY: treated as raw u8). */
uint8_t st_input_value(const st_input_transform *t, uint32_t i, int32_t x);

/* One raw row of t->features readings → out[t->features]; 0, or -1 for ST_INPUT_HOST_ONLY (out untouched). */
int st_input_apply(const st_input_transform *t, const int32_t *raw, uint8_t *out);

#endif
