#include "st_session.h"
#include "st_errors.h"
#include "st_weights.h"
#include "st_mtj.h"
#include "st_draw_seed.h"

static int call(const st_engine *e, st_export fn, const int32_t *args, int32_t *result) {
  int32_t r = 0;
  int rc = e->call(e->ctx, fn, args, &r);
  if (result) *result = r;
  /* a trap raised by env.mtj_sample: report why (bounds, no MTJ pairs) rather than a bare trap */
  int why = st_mtj_take_error();
  return rc == ST_ERR_RUNTIME && why != ST_OK ? why : rc;
}

/* A setup call returning 0 or a negative engine code. */
static int setup(const st_engine *e, st_export fn, const int32_t *args) {
  int32_t r;
  int rc = call(e, fn, args, &r);
  if (rc != ST_OK) return rc;
  return r < 0 ? ST_ERR_ENGINE_BASE + r : ST_OK;
}

#define TRY(x) do { int rc_ = (x); if (rc_ != ST_OK) return rc_; } while (0)

int st_session_open(st_session *s, const st_engine *e, const st_config *cfg) {
  s->engine = e;
  s->cfg = cfg;
  s->epoch = s->steps = s->correct = 0;
  if (cfg->layers < 3 || cfg->layers > ST_MAX_LAYERS) return ST_ERR_LAYOUT;
  for (int32_t k = 0; k < cfg->layers; k++) {
    int32_t a[2] = { k, cfg->layout[k] };
    TRY(setup(e, ST_FN_LAYOUT_SET, a));
  }
  int32_t conf[8] = { cfg->layers, cfg->activation, cfg->output, cfg->algorithm, cfg->source, cfg->flags, cfg->momentum_q16, cfg->pairs_log2 };
  TRY(setup(e, ST_FN_CONFIGURE, conf));
  int32_t bytes, heap;
  TRY(call(e, ST_FN_SIZEOF_TRAINING_MEMORY, 0, &bytes));
  if (bytes < 0) return ST_ERR_ENGINE_BASE + bytes;
  TRY(call(e, ST_FN_HEAP_BASE, 0, &heap));
  s->plan_base = ((uint32_t)heap + 7u) & ~7u;
  s->plan_bytes = (uint32_t)bytes;
  s->input_ptr = s->plan_base + s->plan_bytes;
  s->linear_bytes = s->input_ptr + (uint32_t)cfg->layout[0];
  uint32_t have = 0;
  e->memory(e->ctx, &have);
  if (s->linear_bytes > have || s->linear_bytes > cfg->linear_memory_limit) return ST_ERR_MEMORY;
  int32_t base = (int32_t)s->plan_base;
  TRY(setup(e, ST_FN_SCHEDULE_TRAINING_MEMORY, &base));
  for (int32_t l = 0; l < cfg->layers - 1; l++) {
    int32_t a[2] = { l, cfg->lr_q16[l] };
    TRY(setup(e, ST_FN_SET_LEARNING_RATE, a));
  }
  TRY(call(e, ST_FN_SET_DECAY, &cfg->decay_q16, 0));
  TRY(setup(e, ST_FN_SET_PROBABILITY_FLOOR, &cfg->probability_floor_q16));
  TRY(setup(e, ST_FN_SET_DELTA_CLIP, &cfg->delta_clip_q24));
  /* host order (engine-setup.ts): … setDeltaClip · setPairStep · setTemperature(1) · initWeights; the
   * temperature stays the module's 1 on a board. A config without a step (0) gets the host's default,
   * ST_MTJ_PAIR_STEP_DEFAULT_Q16 (0.1), as the host's setup does. */
  int32_t pair_step_q16 = cfg->pair_step_q16 != 0 ? cfg->pair_step_q16 : ST_MTJ_PAIR_STEP_DEFAULT_Q16;
  TRY(setup(e, ST_FN_SET_PAIR_STEP, &pair_step_q16));
  st_mtj_configure(cfg->layout, cfg->layers, pair_step_q16);
  int32_t seed = (int32_t)cfg->seed;
  TRY(setup(e, ST_FN_INIT_WEIGHTS, &seed));
  int32_t draws_seed = (int32_t)st_initial_draw_seed(cfg->seed);
  return call(e, ST_FN_RNG_SEED, &draws_seed, 0);
}

const uint8_t *st_session_tensor(st_session *s, int region, int l, uint32_t *count) {
  int32_t a[2] = { region, l }, ptr = -1;
  if (l < 0 || l >= s->cfg->layers - 1 || call(s->engine, ST_FN_REGION_PTR, a, &ptr) != ST_OK || ptr < 0) return 0;
  uint32_t n_out = (uint32_t)s->cfg->layout[l + 1];
  *count = (region == ST_REGION_W || region == ST_REGION_VW) ? n_out * (uint32_t)s->cfg->layout[l] : n_out;
  /* bytes per element: W at the build's width (st_weight_bytes: 4, 2 or 1), every other region i32 */
  uint32_t elem = region == ST_REGION_W ? st_weight_bytes(s->cfg) : 4u;
  uint32_t size = 0;
  uint8_t *mem = s->engine->memory(s->engine->ctx, &size);
  return (uint64_t)(uint32_t)ptr + (uint64_t)elem * *count <= size ? mem + ptr : 0;
}

typedef struct { st_session *s; uint32_t found; } load_ctx;

/* Tensor names "W<l>", "B<l>" (l one digit); others (velocities, …) are ignored. W<l> must be stored as the
 * build stores it (cfg->weight_bits: 32 Q24, 16 Q12, 8 Q6), B<l> as i32 Q24; the count × element bytes are
 * copied as they are (file and linear memory both little-endian). */
static int load_tensor(void *user, const char *name, uint8_t len, const uint8_t *data, uint32_t count, uint8_t bits, uint8_t frac_bits) {
  load_ctx *c = (load_ctx *)user;
  if (len != 2 || (name[0] != 'W' && name[0] != 'B') || name[1] < '0' || name[1] > '9') return ST_OK;
  int l = name[1] - '0';
  int is_w = name[0] == 'W';
  uint32_t want_bits = is_w ? st_weight_bits(c->s->cfg) : 32u, want_frac = is_w ? st_weight_frac_bits(c->s->cfg) : 24u;
  uint32_t want = 0;
  uint8_t *dst = (uint8_t *)st_session_tensor(c->s, is_w ? ST_REGION_W : ST_REGION_B, l, &want);
  if (!dst || want != count) return ST_ERR_WEIGHTS_TENSOR;
  if (bits != want_bits || frac_bits != want_frac) return ST_ERR_WEIGHTS_FORMAT;
  for (uint32_t i = 0; i < (bits / 8u) * count; i++) dst[i] = data[i];
  c->found |= 1u << (2 * l + (name[0] == 'B'));
  return ST_OK;
}

int st_session_load_weights(st_session *s, const uint8_t *file, uint32_t len) {
  load_ctx c = { s, 0 };
  TRY(st_weights_walk(file, len, s->cfg, load_tensor, &c));
  uint32_t all = (1u << (2 * (s->cfg->layers - 1))) - 1u;
  return c.found == all ? ST_OK : ST_ERR_WEIGHTS_TENSOR;
}

void st_session_set_epoch(st_session *s, uint32_t epoch) {
  int32_t e = (int32_t)epoch;
  call(s->engine, ST_FN_SET_EPOCH, &e, 0);
  /* As SpintrainEngine.setEpoch: each epoch's draws start from their own seed (resumable runs). */
  int32_t draws_seed = (int32_t)st_epoch_draw_seed(s->cfg->seed, epoch);
  call(s->engine, ST_FN_RNG_SEED, &draws_seed, 0);
  s->epoch = epoch;
  s->steps = s->correct = 0;
}

static int copy_input(st_session *s, const uint8_t *x) {
  uint32_t size = 0;
  uint8_t *mem = s->engine->memory(s->engine->ctx, &size);
  for (int32_t i = 0; i < s->cfg->layout[0]; i++) mem[s->input_ptr + (uint32_t)i] = x[i];
  int32_t p = (int32_t)s->input_ptr;
  return call(s->engine, ST_FN_INPUT_U8, &p, 0);
}

int32_t st_session_train(st_session *s, const uint8_t *x, uint8_t label) {
  TRY(copy_input(s, x));
  int32_t a = label, y = -1;
  TRY(call(s->engine, ST_FN_TRAIN_STEP, &a, &y));
  s->steps++;
  if (y == (int32_t)label) s->correct++;
  return y;
}

int32_t st_session_predict(st_session *s, const uint8_t *x) {
  TRY(copy_input(s, x));
  int32_t y = -1;
  TRY(call(s->engine, ST_FN_PREDICT, 0, &y));
  return y;
}
