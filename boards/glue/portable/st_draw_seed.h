/*
 * st_draw_seed: the seeds of the module's draw generator (rngSeed), as the host computes them
 * (host/engine/draw-seed.ts; test/engine/draw-seed.spec.ts compiles this header and compares).
 *   after initWeights(seed):  seed ^ 0x5bd1e995 (the draws do not depend on the layout)
 *   epoch e (0-based):        (seed ^ 0x5bd1e995) · 0x9e3779b1 + e  (mod 2^32): each epoch's draws start
 *                             from their own seed, so a resumed run draws what the uninterrupted run drew
 */
#ifndef ST_DRAW_SEED_H
#define ST_DRAW_SEED_H
#include <stdint.h>

static inline uint32_t st_initial_draw_seed(uint32_t seed) {
  return seed ^ 0x5bd1e995u;
}

static inline uint32_t st_epoch_draw_seed(uint32_t seed, uint32_t epoch) {
  return st_initial_draw_seed(seed) * 0x9e3779b1u + epoch;
}

#endif
