/*
 * The engine's one import, env.mtj_sample(hidden, count, probsPtr, bitsPtr, draws)
 * (assembly/backward.ts): for j < count write `draws` independent Bernoulli(p_j) bits (u8 0/1) at
 * bits[j·draws + d], p_j = probs[j] / 65536 (i32 Q16), from the junctions serving neuron j of hidden
 * layer `hidden`. st_mtj_sample bounds-checks the offsets, then asks the HAL (hal/st_hal_*.c).
 */
#ifndef ST_MTJ_H
#define ST_MTJ_H
#include <stdint.h>

/* HAL: one hidden layer's draws. probs_q16 may be unaligned on some runtimes: read it with st_load_i32. */
void st_hal_sample_layer(uint32_t hidden, uint32_t count, const uint8_t *probs_q16_le, uint8_t *bits, uint32_t draws);

/* Import body shared by all runtime adapters; returns ST_OK or ST_ERR_BOUNDS (the adapter then traps). */
int st_mtj_sample(uint8_t *mem, uint32_t mem_size, int32_t hidden, int32_t count, int32_t probs, int32_t bits, int32_t draws);

static inline int32_t st_load_i32(const uint8_t *p) {
  return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

#endif
