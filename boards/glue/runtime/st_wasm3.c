/*
 * Runtime adapter: wasm3. Host function linked with m3_LinkRawFunction(module, "env", "mtj_sample",
 * "v(iiiii)", …); linear memory capped with runtime->memoryLimit (needs m3_env.h, as in Wasm3's
 * Arduino examples), which is safe because the module never executes memory.grow and its plan fits
 * (st_session_open checks against memory_limit).
 */
#include <string.h>
#include "wasm3.h"
#include "m3_env.h"
#include "st_wasm3.h"
#include "../portable/st_errors.h"
#include "../portable/st_mtj.h"

typedef struct {
  IM3Environment env;
  IM3Runtime runtime;
  IM3Module module;
  IM3Function fn[ST_FN_COUNT];
} st_wasm3;

static st_wasm3 w3;

m3ApiRawFunction(st_wasm3_mtj_sample) {
  m3ApiGetArg(int32_t, hidden);
  m3ApiGetArg(int32_t, count);
  m3ApiGetArg(int32_t, probs);
  m3ApiGetArg(int32_t, bits);
  m3ApiGetArg(int32_t, draws);
  uint32_t size = 0;
  uint8_t *mem = m3_GetMemory(runtime, &size, 0);
  if (!mem) m3ApiTrap(m3Err_trapOutOfBoundsMemoryAccess);
  /* draws ≥ 1: p-GAF bits; draws = 0: MTJ-pair voltages (st_mtj.h) */
  int rc = st_mtj_sample(mem, size, hidden, count, probs, bits, draws);
  if (rc == ST_ERR_NO_PAIRS) m3ApiTrap("[trap] mtj_sample: pair read (draws = 0), but this HAL has no MTJ pairs");
  if (rc != ST_OK) m3ApiTrap(m3Err_trapOutOfBoundsMemoryAccess);
  m3ApiSuccess();
}

static int st_call(void *ctx, st_export fn, const int32_t *args, int32_t *result) {
  st_wasm3 *w = (st_wasm3 *)ctx;
  const void *argp[8];
  for (int i = 0; i < st_export_arity[fn]; i++) argp[i] = &args[i];
  if (m3_Call(w->fn[fn], st_export_arity[fn], argp) != m3Err_none) return ST_ERR_RUNTIME;
  *result = 0;
  if (st_export_has_result[fn]) {
    const void *resp[1] = { result };
    if (m3_GetResults(w->fn[fn], 1, resp) != m3Err_none) return ST_ERR_RUNTIME;
  }
  return ST_OK;
}

static uint8_t *st_memory(void *ctx, uint32_t *size) {
  return m3_GetMemory(((st_wasm3 *)ctx)->runtime, size, 0);
}

int st_wasm3_open(st_engine *e, const uint8_t *wasm, uint32_t len, uint32_t memory_limit, uint32_t stack_bytes) {
  memset(&w3, 0, sizeof w3);
  w3.env = m3_NewEnvironment();
  if (!w3.env) return ST_ERR_RUNTIME;
  w3.runtime = m3_NewRuntime(w3.env, stack_bytes, NULL);
  if (!w3.runtime) return ST_ERR_RUNTIME;
  w3.runtime->memoryLimit = memory_limit;
  if (m3_ParseModule(w3.env, &w3.module, wasm, len) != m3Err_none) return ST_ERR_RUNTIME;
  if (m3_LoadModule(w3.runtime, w3.module) != m3Err_none) return ST_ERR_RUNTIME;
  M3Result r = m3_LinkRawFunction(w3.module, "env", "mtj_sample", "v(iiiii)", &st_wasm3_mtj_sample);
  if (r != m3Err_none && r != m3Err_functionLookupFailed) return ST_ERR_RUNTIME;
  for (int i = 0; i < ST_FN_COUNT; i++) {
    if (m3_FindFunction(&w3.fn[i], w3.runtime, st_export_names[i]) != m3Err_none) return ST_ERR_RUNTIME;
  }
  e->ctx = &w3;
  e->call = st_call;
  e->memory = st_memory;
  e->runtime = "wasm3";
  return ST_OK;
}
