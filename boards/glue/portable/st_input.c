/* The model's input transform on the board (see st_input.h). */
#include "st_input.h"

uint8_t st_input_value(const st_input_transform *t, uint32_t i, int32_t x) {
  uint32_t u;
  if (t->kind == ST_INPUT_MIN_MAX) {
    const uint32_t r = t->range[i];
    const int64_t o = (int64_t)x - (int64_t)t->min[i];
    if (r == 0u || o <= 0) u = 0u;
    else if ((uint64_t)o >= (uint64_t)r) u = 255u;
    else u = (uint32_t)(((uint64_t)o * 510u + r) / (2u * (uint64_t)r)); /* o < r: at most 255 */
  } else {
    u = x <= 0 ? 0u : x >= 255 ? 255u : (uint32_t)x;
  }
  if (t->reflect && ((t->reflect[i >> 3] >> (i & 7u)) & 1u)) u = 255u - u;
  return (uint8_t)u;
}

int st_input_apply(const st_input_transform *t, const int32_t *raw, uint8_t *out) {
  if (t->kind == ST_INPUT_HOST_ONLY) return -1;
  for (uint32_t i = 0; i < t->features; i++) out[i] = st_input_value(t, i, raw[i]);
  return 0;
}
