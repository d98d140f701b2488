/*
 * Simulated MTJ HAL for host tests and emulators: each junction is an ideal Bernoulli(p) device
 * driven by xoshiro128** seeded through splitmix32 (the generator of host/rng.ts), one 32-bit draw
 * per bit, bit = (draw >> 16) < p_Q16, draws in order j = 0…count−1, d = 0…draws−1.
 * host/deploy/simulated-mtj-hal.ts is the same device on the host, so V8 and native runs agree bit for bit.
 */
#include "../portable/st_mtj.h"

static uint32_t s0, s1, s2, s3;

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

void st_hal_sim_seed(uint32_t seed) {
  uint32_t x = seed;
  uint32_t *s[4] = { &s0, &s1, &s2, &s3 };
  for (int i = 0; i < 4; i++) {
    x += 0x9e3779b9u;
    uint32_t z = x;
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    *s[i] = z ^ (z >> 16);
  }
}

static uint32_t next(void) {
  uint32_t result = rotl(s1 * 5u, 7) * 9u;
  uint32_t t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  return result;
}

void st_hal_sample_layer(uint32_t hidden, uint32_t count, const uint8_t *probs_q16_le, uint8_t *bits, uint32_t draws) {
  (void)hidden;
  for (uint32_t j = 0; j < count; j++) {
    int32_t p = st_load_i32(probs_q16_le + 4u * j);
    for (uint32_t d = 0; d < draws; d++) bits[j * draws + d] = (int32_t)(next() >> 16) < p;
  }
}
