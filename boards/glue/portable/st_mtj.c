#include "st_mtj.h"
#include "st_errors.h"
#include "st_config.h"

static uint32_t hidden_offset[ST_MAX_LAYERS]; /* Σ widths of the hidden layers below hidden layer h */
static int32_t pair_step_q16 = ST_MTJ_PAIR_STEP_DEFAULT_Q16;
static int last_error = ST_OK;

void st_mtj_configure(const int32_t *layout, uint32_t layers, int32_t step_q16) {
  uint32_t sum = 0;
  for (uint32_t h = 0; h < ST_MAX_LAYERS; h++) {
    hidden_offset[h] = sum;
    if (h + 2 < layers) sum += (uint32_t)layout[h + 1];
  }
  pair_step_q16 = step_q16 > 0 ? step_q16 : ST_MTJ_PAIR_STEP_DEFAULT_Q16;
}

uint32_t st_mtj_hidden_index(uint32_t layer, uint32_t neuron) {
  return (layer < ST_MAX_LAYERS ? hidden_offset[layer] : 0u) + neuron;
}

const char *st_draw_source(const st_config *cfg) {
  return cfg->source == 0 ? "module-prng" : st_hal_draw_source(cfg->algorithm == 2);
}

int st_mtj_take_error(void) {
  int e = last_error;
  last_error = ST_OK;
  return e;
}

static int fail(int code) {
  last_error = code;
  return code;
}

int st_mtj_sample(uint8_t *mem, uint32_t mem_size, int32_t hidden, int32_t count, int32_t probs, int32_t bits, int32_t draws) {
  if (hidden < 0 || count < 0 || draws < 0 || draws > 16 || probs < 0 || bits < 0) return fail(ST_ERR_BOUNDS);
  /* draws = 0: two i32 voltages per neuron out */
  uint32_t out_per_neuron = draws == 0 ? 8u : (uint32_t)draws;
  uint64_t probs_end = (uint64_t)(uint32_t)probs + 4u * (uint64_t)(uint32_t)count;
  uint64_t bits_end = (uint64_t)(uint32_t)bits + (uint64_t)(uint32_t)count * out_per_neuron;
  if (probs_end > mem_size || bits_end > mem_size) return fail(ST_ERR_BOUNDS);
  if (draws > 0) {
    st_hal_sample_layer((uint32_t)hidden, (uint32_t)count, mem + probs, mem + bits, (uint32_t)draws);
    return ST_OK;
  }
  for (uint32_t j = 0; j < (uint32_t)count; j++) {
    int32_t v1 = 0, v2 = 0;
    int rc = st_hal_mtj_read_pair((uint32_t)hidden, j, st_load_i32(mem + probs + 4u * j), pair_step_q16, &v1, &v2);
    if (rc != ST_OK) return fail(rc);
    st_store_i32(mem + bits + 8u * j, v1);
    st_store_i32(mem + bits + 8u * j + 4u, v2);
  }
  return ST_OK;
}
