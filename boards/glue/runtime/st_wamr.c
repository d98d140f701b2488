/*
 * Runtime adapter: WAMR. Natives registered before loading:
 *   NativeSymbol {"mtj_sample", st_wamr_mtj_sample, "(iiiii)", NULL}, wasm_runtime_register_natives("env", …).
 * The module's memory is min = max = the pages the layout needs and it never grows; instantiate with
 * heap_size 0 (no app heap: the plan is placed by the glue above __heap_base).
 */
#include <string.h>
#include "wasm_export.h"
#include "st_wamr.h"
#include "../portable/st_errors.h"
#include "../portable/st_mtj.h"

#ifndef ST_WAMR_POOL_BYTES
#define ST_WAMR_POOL_BYTES (32 * 1024) /* WAMR's own allocations: module, instance, exec env (not linear memory) */
#endif

typedef struct {
  wasm_module_t module;
  wasm_module_inst_t inst;
  wasm_exec_env_t exec_env;
  wasm_function_inst_t fn[ST_FN_COUNT];
} st_wamr;

static st_wamr wr;
static char pool[ST_WAMR_POOL_BYTES];

static uint8_t *st_memory(void *ctx, uint32_t *size) {
  st_wamr *w = (st_wamr *)ctx;
  wasm_memory_inst_t mem = wasm_runtime_get_default_memory(w->inst);
  *size = mem ? (uint32_t)(wasm_memory_get_cur_page_count(mem) * wasm_memory_get_bytes_per_page(mem)) : 0;
  return (uint8_t *)wasm_runtime_addr_app_to_native(w->inst, 0);
}

static void st_wamr_mtj_sample(wasm_exec_env_t exec_env, int32_t hidden, int32_t count, int32_t probs, int32_t bits, int32_t draws) {
  uint32_t size = 0;
  uint8_t *base = st_memory(&wr, &size);
  /* draws ≥ 1: p-GAF bits; draws = 0: MTJ-pair voltages (st_mtj.h) */
  int rc = st_mtj_sample(base, size, hidden, count, probs, bits, draws);
  if (rc != ST_OK) wasm_runtime_set_exception(wasm_runtime_get_module_inst(exec_env), st_strerror(rc));
}

static NativeSymbol natives[] = {
  { "mtj_sample", (void *)st_wamr_mtj_sample, "(iiiii)", NULL },
};

static int st_call(void *ctx, st_export fn, const int32_t *args, int32_t *result) {
  st_wamr *w = (st_wamr *)ctx;
  uint32_t argv[8] = { 0 };
  for (int i = 0; i < st_export_arity[fn]; i++) argv[i] = (uint32_t)args[i];
  if (!wasm_runtime_call_wasm(w->exec_env, w->fn[fn], st_export_arity[fn], argv)) return ST_ERR_RUNTIME;
  *result = st_export_has_result[fn] ? (int32_t)argv[0] : 0;
  return ST_OK;
}

int st_wamr_open(st_engine *e, uint8_t *wasm, uint32_t len, uint32_t stack_bytes) {
  char error[128];
  RuntimeInitArgs init;
  memset(&init, 0, sizeof init);
  init.mem_alloc_type = Alloc_With_Pool;
  init.mem_alloc_option.pool.heap_buf = pool;
  init.mem_alloc_option.pool.heap_size = sizeof pool;
  if (!wasm_runtime_full_init(&init)) return ST_ERR_RUNTIME;
  if (!wasm_runtime_register_natives("env", natives, sizeof natives / sizeof natives[0])) return ST_ERR_RUNTIME;
  wr.module = wasm_runtime_load(wasm, len, error, sizeof error);
  if (!wr.module) return ST_ERR_RUNTIME;
  wr.inst = wasm_runtime_instantiate(wr.module, stack_bytes, 0, error, sizeof error);
  if (!wr.inst) return ST_ERR_RUNTIME;
  wr.exec_env = wasm_runtime_create_exec_env(wr.inst, stack_bytes);
  if (!wr.exec_env) return ST_ERR_RUNTIME;
  for (int i = 0; i < ST_FN_COUNT; i++) {
    wr.fn[i] = wasm_runtime_lookup_function(wr.inst, st_export_names[i]);
    if (!wr.fn[i]) return ST_ERR_RUNTIME;
  }
  e->ctx = &wr;
  e->call = st_call;
  e->memory = st_memory;
  e->runtime = "wamr";
  return ST_OK;
}
