/*
 * Runtime adapter: the module translated by wasm2c and compiled into the firmware (or a host
 * program). Traps: with the stock runtime (wasm-rt-impl.c) or the bare-metal one
 * (cortex-m/wasm_rt_static.c) a trap longjmps back to st_call (or st_wasm2c_open), which reports
 * ST_ERR_RUNTIME; with ST_W2C_TRAPS_HALT the bare-metal runtime reports and halts the board instead.
 * In a sketch (`spintrain build --runtime wasm2c`) the translation and wabt's headers are in
 * ../generated/; the Makefile and the tests put them on the include path.
 */
#include "st_wasm2c.h"
#include "../portable/st_errors.h"
#include "../portable/st_mtj.h"
#if defined(__has_include)
#if __has_include("../generated/spintrain.h")
#define ST_W2C_SKETCH 1
#endif
#endif
#ifdef ST_W2C_SKETCH
#include "../generated/spintrain.h"
#ifndef ST_W2C_TRAPS_HALT
#include "../generated/wasm-rt-impl.h"
#endif
#else
#include "spintrain.h"
#ifndef ST_W2C_TRAPS_HALT
#include "wasm-rt-impl.h"
#endif
#endif

/* The import module "env": what Z_envZ_mtj_sample needs to reach the module's memory. */
struct Z_env_instance_t {
  Z_spintrain_instance_t *module;
};

static Z_spintrain_instance_t instance;
static struct Z_env_instance_t env = { &instance };

/* draws ≥ 1: p-GAF bits; draws = 0: MTJ-pair voltages (st_mtj.h). A failure traps: OOB for a pointer
 * outside linear memory, unreachable for a pair read on a HAL without pairs (st_mtj_take_error says which). */
void Z_envZ_mtj_sample(struct Z_env_instance_t *e, u32 hidden, u32 count, u32 probs, u32 bits, u32 draws) {
  wasm_rt_memory_t *m = Z_spintrainZ_memory(e->module);
  int rc = st_mtj_sample(m->data, m->size, (int32_t)hidden, (int32_t)count, (int32_t)probs, (int32_t)bits, (int32_t)draws);
  if (rc != ST_OK) wasm_rt_trap(rc == ST_ERR_NO_PAIRS ? WASM_RT_TRAP_UNREACHABLE : WASM_RT_TRAP_OOB);
}

static int st_call(void *ctx, st_export fn, const int32_t *a, int32_t *result) {
  Z_spintrain_instance_t *m = (Z_spintrain_instance_t *)ctx;
  u32 r = 0;
#ifndef ST_W2C_TRAPS_HALT
  if (wasm_rt_impl_try() != 0) return ST_ERR_RUNTIME;
#endif
  switch (fn) {
    case ST_FN_HEAP_BASE: r = Z_spintrainZ_heapBase(m); break;
    case ST_FN_LAYOUT_SET: r = Z_spintrainZ_layoutSet(m, (u32)a[0], (u32)a[1]); break;
    case ST_FN_CONFIGURE: r = Z_spintrainZ_configure(m, (u32)a[0], (u32)a[1], (u32)a[2], (u32)a[3], (u32)a[4], (u32)a[5], (u32)a[6], (u32)a[7]); break;
    case ST_FN_SIZEOF_TRAINING_MEMORY: r = Z_spintrainZ_sizeofTrainingMemory(m); break;
    case ST_FN_SCHEDULE_TRAINING_MEMORY: r = Z_spintrainZ_scheduleTrainingMemory(m, (u32)a[0]); break;
    case ST_FN_SET_LEARNING_RATE: r = Z_spintrainZ_setLearningRate(m, (u32)a[0], (u32)a[1]); break;
    case ST_FN_SET_DECAY: Z_spintrainZ_setDecay(m, (u32)a[0]); break;
    case ST_FN_SET_EPOCH: Z_spintrainZ_setEpoch(m, (u32)a[0]); break;
    case ST_FN_SET_PROBABILITY_FLOOR: r = Z_spintrainZ_setProbabilityFloor(m, (u32)a[0]); break;
    case ST_FN_SET_DELTA_CLIP: r = Z_spintrainZ_setDeltaClip(m, (u32)a[0]); break;
    case ST_FN_INIT_WEIGHTS: r = Z_spintrainZ_initWeights(m, (u32)a[0]); break;
    case ST_FN_RNG_SEED: Z_spintrainZ_rngSeed(m, (u32)a[0]); break;
    case ST_FN_REGION_PTR: r = Z_spintrainZ_regionPtr(m, (u32)a[0], (u32)a[1]); break;
    case ST_FN_INPUT_U8: Z_spintrainZ_inputU8(m, (u32)a[0]); break;
    case ST_FN_TRAIN_STEP: r = Z_spintrainZ_trainStep(m, (u32)a[0]); break;
    case ST_FN_PREDICT: r = Z_spintrainZ_predict(m); break;
    case ST_FN_SET_PAIR_STEP: r = Z_spintrainZ_setPairStep(m, (u32)a[0]); break;
    default: return ST_ERR_RUNTIME;
  }
  *result = (int32_t)r;
  return ST_OK;
}

static uint8_t *st_memory(void *ctx, uint32_t *size) {
  wasm_rt_memory_t *mem = Z_spintrainZ_memory((Z_spintrain_instance_t *)ctx);
  *size = mem->size;
  return mem->data;
}

int st_wasm2c_open(st_engine *e) {
  wasm_rt_init();
#ifndef ST_W2C_TRAPS_HALT
  if (wasm_rt_impl_try() != 0) return ST_ERR_RUNTIME; /* e.g. a data segment beyond a too-small linear memory */
#endif
  Z_spintrain_init_module();
  Z_spintrain_instantiate(&instance, &env);
  e->ctx = &instance;
  e->call = st_call;
  e->memory = st_memory;
  e->runtime = "wasm2c";
  return ST_OK;
}
