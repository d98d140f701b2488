/*
 * The engine's one import, env.mtj_sample(hidden, count, probsPtr, bitsPtr, draws)
 * (assembly/device-import.ts), served for every runtime adapter by st_mtj_sample:
 *   draws ≥ 1 (p-GAF-BP): for j < count write `draws` independent Bernoulli(p_j) bits (u8 0/1) at
 *     bits[j·draws + d], p_j = probs[j] / 65536 (i32 Q16), from the junctions serving neuron j of hidden
 *     layer `hidden` (HAL: st_hal_sample_layer).
 *   draws = 0 (the pair algorithm, assembly/pair-gradient.ts): probs holds the pre-activations z_j
 *     (i32 Q16); for j < count read neuron j's MTJ pair, twin A at z_j and twin B at z_j + Δz, and write
 *     their voltages in activation units as i32 Q16 at out[2j] = V1, out[2j + 1] = V2 (8 bytes per
 *     neuron at bitsPtr). Δz is the pair step the session gave the module (setPairStep). The loop is
 *     here; the HAL reads one pair (st_hal_mtj_read_pair).
 * st_mtj_sample bounds-checks the offsets first. HALs: hal/st_hal_sim.c, hal/st_hal_gpio.c.
 */
#ifndef ST_MTJ_H
#define ST_MTJ_H
#include <stdint.h>
#include "st_config.h"

/* HAL: one hidden layer's draws. probs_q16 may be unaligned on some runtimes: read it with st_load_i32. */
void st_hal_sample_layer(uint32_t hidden, uint32_t count, const uint8_t *probs_q16_le, uint8_t *bits, uint32_t draws);

/*
 * HAL: one MTJ-pair read for neuron `neuron` of hidden layer `layer` (0-based): twin A driven with the
 * read current of pre-activation z, twin B with that of z + dz (z, dz in Q16 pre-activation units; the
 * HAL clamps z so both stay in its current range), their voltages returned in activation units (Q16).
 * Which pair serves the neuron is the HAL's choice; st_mtj_hidden_index gives the host's mapping.
 * Returns ST_OK, or ST_ERR_NO_PAIRS when the HAL has no pairs (the import then traps).
 */
int st_hal_mtj_read_pair(uint32_t layer, uint32_t neuron, int32_t z_q16, int32_t dz_q16, int32_t *v1_q16, int32_t *v2_q16);

/*
 * HAL: where its draws come from, one word for the banner (st_protocol.h): pairs = 1 for the pair
 * algorithm's reads, 0 for p-GAF draws. Simulated HAL "sim"; GPIO HAL "mtj" (daughter board answered the
 * probe), "chip-rng-probe-failed" (it did not: the hardware random generator stands in), "chip-rng" (no
 * MTJ circuit in the profile), "mtj-pairs", "none" (pair reads without pairs: they trap).
 */
const char *st_hal_draw_source(int pairs);
/* The run's draw source: "module-prng" when the config draws from the module's generator (source 0), else the HAL's. */
const char *st_draw_source(const st_config *cfg);

/* Import body shared by all runtime adapters; returns ST_OK, or ST_ERR_BOUNDS / ST_ERR_NO_PAIRS (the adapter then traps). */
int st_mtj_sample(uint8_t *mem, uint32_t mem_size, int32_t hidden, int32_t count, int32_t probs, int32_t bits, int32_t draws);

/* The default pair step Δz = 0.1 in Q16, round(0.1 · 65536): the host's DEFAULT_PAIR_STEP
 * (host/engine/config.ts). st_session_open gives it to the module (setPairStep) and to
 * st_mtj_configure when the config has no step. */
#define ST_MTJ_PAIR_STEP_DEFAULT_Q16 6554

/* Called by st_session_open: the layout (for st_mtj_hidden_index) and the pair step Δz the module uses (Q16). */
void st_mtj_configure(const int32_t *layout, uint32_t layers, int32_t pair_step_q16);
/* Neuron j of hidden layer h counted over all hidden neurons (Σ widths of hidden layers below h, + j):
 * with one pair per index, the mapping of host/device/mtj-pair-source.ts. */
uint32_t st_mtj_hidden_index(uint32_t layer, uint32_t neuron);
/* Why the last env.mtj_sample call failed (ST_ERR_BOUNDS, ST_ERR_NO_PAIRS), or ST_OK; clears it. The
 * session reports this code instead of the runtime's bare trap. */
int st_mtj_take_error(void);

static inline int32_t st_load_i32(const uint8_t *p) {
  return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

static inline void st_store_i32(uint8_t *p, int32_t v) {
  uint32_t u = (uint32_t)v;
  p[0] = (uint8_t)u;
  p[1] = (uint8_t)(u >> 8);
  p[2] = (uint8_t)(u >> 16);
  p[3] = (uint8_t)(u >> 24);
}

#endif
