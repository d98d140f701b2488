/*
 * st_session: one network on one engine. Replays the host's setup (host/engine/wasm-engine.ts,
 * SpintrainEngine's constructor) call for call, so a board starting from the same config and seed
 * holds bit-identical weights to the host:
 *   layoutSet(k, n[k]) · configure(…) · sizeofTrainingMemory() · scheduleTrainingMemory(align8(heapBase()))
 *   setLearningRate(l, η_l) · setDecay(d) · setProbabilityFloor(ε) · setDeltaClip(c) · setPairStep(Δz, default 0.1)
 *   initWeights(seed) · rngSeed(seed ^ 0x5bd1e995)   (the draw seeds: st_draw_seed.h)
 * (setActivationRange and setTemperature are not replayed: a board trains without a trainable
 * activation and at temperature 1, the module's default.) The pair step and the layout also go to
 * st_mtj_configure, which serves the pair reads (env.mtj_sample with draws = 0).
 * Each epoch (st_session_set_epoch): setEpoch(e) · rngSeed((seed ^ 0x5bd1e995) · 0x9e3779b1 + e).
 * Linear memory: [static data | plan (sizeofTrainingMemory) | input buffer n[0] bytes].
 */
#ifndef ST_SESSION_H
#define ST_SESSION_H
#include <stdint.h>
#include "st_config.h"
#include "st_engine.h"

typedef struct {
  const st_engine *engine;
  const st_config *cfg;
  uint32_t plan_base, plan_bytes;  /* [plan_base, plan_base + plan_bytes)      */
  uint32_t input_ptr;              /* n[0] bytes after the plan                */
  uint32_t linear_bytes;           /* input_ptr + n[0]: what the module uses   */
  uint32_t epoch;
  uint32_t steps, correct;         /* since the last st_session_set_epoch      */
} st_session;

/* Sets the module up; ST_ERR_MEMORY when linear_bytes exceeds cfg->linear_memory_limit or the runtime's memory. */
int st_session_open(st_session *s, const st_engine *e, const st_config *cfg);
/* Replaces W<l>, B<l> from a weights file (see st_weights.h). */
int st_session_load_weights(st_session *s, const uint8_t *file, uint32_t len);
void st_session_set_epoch(st_session *s, uint32_t epoch);
/* One SGD step on u8 features x[n0]; returns the class predicted before the update (or < 0). */
int32_t st_session_train(st_session *s, const uint8_t *x, uint8_t label);
int32_t st_session_predict(st_session *s, const uint8_t *x);
/* Live view of tensor W<l> (region ST_REGION_W) or B<l> (ST_REGION_B) in linear memory, little-endian: B<l>
 * i32 Q24, W<l> at the build's width (st_weight_bytes(cfg): i32 Q24, i16 Q12 or i8 Q6); *count elements. */
const uint8_t *st_session_tensor(st_session *s, int region, int l, uint32_t *count);

#endif
