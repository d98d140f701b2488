/*
 * Runtime adapter: WAMR. Natives registered before loading:
 *   NativeSymbol {"mtj_sample", st_wamr_mtj_sample, "(iiiii)", NULL}, wasm_runtime_register_natives("env", …).
 * The module's memory is min = max = the pages the layout needs and it never grows; instantiate with
 * heap_size 0 (no app heap: the plan is placed by the glue above __heap_base).
 * WAMR allocates from the pool the caller gives (Alloc_With_Pool): the loaded module (fast interpreter:
 * ~5 bytes per module byte), the instance (~4.4 KiB) and the exec env (stack + up to ~3.2 KiB), so
 *   pool = ceil_KiB(9/8 · (stack + k · module bytes + 9 KiB)), k = 5 fast interpreter, 1 classic,
 * measured on WAMR 2.4.3 (host/deploy/wamr-pool.ts has the figures); spintrain build writes it into
 * spintrain_board.h as ST_WAMR_POOL_BYTES (64 KiB for the 8,119-byte module and an 8 KiB stack). Linear memory
 * (pages × 64 KiB) comes from the platform heap (os_mmap → os_malloc), not the pool. Out of pool memory,
 * loading fails with "allocate memory failed" and creating the exec env with NULL: ST_ERR_POOL.
 */
#include <string.h>
#include "wasm_export.h"
#include "st_wamr.h"
#include "../portable/st_errors.h"
#include "../portable/st_mtj.h"

typedef struct {
  wasm_module_t module;
  wasm_module_inst_t inst;
  wasm_exec_env_t exec_env;
  wasm_function_inst_t fn[ST_FN_COUNT];
} st_wamr;

static st_wamr wr;

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

/* WAMR's message for a failed allocation ("… allocate memory failed") means the pool is too small. */
static int load_error(const char *error) {
  return strstr(error, "allocate memory") ? ST_ERR_POOL : ST_ERR_RUNTIME;
}

int st_wamr_open(st_engine *e, uint8_t *wasm, uint32_t len, uint32_t stack_bytes, void *pool, uint32_t pool_bytes) {
  char error[128] = "";
  RuntimeInitArgs init;
  memset(&init, 0, sizeof init);
  init.mem_alloc_type = Alloc_With_Pool;
  init.mem_alloc_option.pool.heap_buf = pool;
  init.mem_alloc_option.pool.heap_size = pool_bytes;
  if (!wasm_runtime_full_init(&init)) return ST_ERR_POOL; /* the pool cannot even hold WAMR's heap structure */
  if (!wasm_runtime_register_natives("env", natives, sizeof natives / sizeof natives[0])) return ST_ERR_RUNTIME;
  wr.module = wasm_runtime_load(wasm, len, error, sizeof error);
  if (!wr.module) return load_error(error);
  wr.inst = wasm_runtime_instantiate(wr.module, stack_bytes, 0, error, sizeof error);
  if (!wr.inst) return load_error(error);
  wr.exec_env = wasm_runtime_create_exec_env(wr.inst, stack_bytes);
  if (!wr.exec_env) return ST_ERR_POOL; /* its only failure: the stack does not fit the pool */
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
