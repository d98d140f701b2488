/* The app layer: the one place that joins the portable glue, a runtime and the headers `spintrain build`
 * generates for a board (src/generated/ in a sketch). portable/ includes neither runtime/ nor generated/. */
#include "st_app.h"
#include "../portable/st_errors.h"
#include "../portable/st_port.h"
#include "../portable/st_protocol.h"
#include "../generated/spintrain_board.h"
#include "../generated/spintrain_config.h"
#include "../generated/spintrain_weights.h"
#if defined(ST_RUNTIME_WASM3)
#include "../generated/spintrain_module.h"
#include "../runtime/st_wasm3.h"
#elif defined(ST_RUNTIME_WAMR)
#include "../generated/spintrain_module.h"
#include "../runtime/st_wamr.h"
#elif defined(ST_RUNTIME_WASM2C)
/* the module is C (../generated/spintrain.c, translated by wasm2c); linear memory is a static array of
 * ST_LINEAR_MEMORY_BYTES in runtime/wasm_rt_static.c */
#include "../runtime/st_wasm2c.h"
#else
#error "spintrain_board.h must define ST_RUNTIME_WASM3, ST_RUNTIME_WAMR or ST_RUNTIME_WASM2C"
#endif

#ifndef ST_WASM_STACK_BYTES
#define ST_WASM_STACK_BYTES (8 * 1024) /* wasm stack [bytes]; spintrain_board.h sets it */
#endif
#if defined(ST_RUNTIME_WAMR) && !defined(ST_WAMR_POOL_BYTES)
#error "spintrain_board.h must define ST_WAMR_POOL_BYTES (spintrain build sizes it for the module: host/deploy/wamr-pool.ts)"
#endif

static st_engine engine;
static st_session session;
static st_protocol proto;
static int ready;

int st_app_setup(void) {
  int rc;
  st_protocol_init(&proto, &session, st_port_serial_write, st_port_micros);
#if defined(ST_RUNTIME_WASM3)
  rc = st_wasm3_open(&engine, spintrain_module, spintrain_module_len, ST_CONFIG.linear_memory_limit, ST_WASM_STACK_BYTES);
#elif defined(ST_RUNTIME_WASM2C)
  rc = st_wasm2c_open(&engine);
#else
  static uint8_t module_ram[sizeof spintrain_module]; /* WAMR patches bytecode while loading */
  /* WAMR's own allocations; size per board from spintrain_board.h (formula in runtime/st_wamr.c) */
  static uint64_t wamr_pool[(ST_WAMR_POOL_BYTES + 7u) / 8u];
  for (uint32_t i = 0; i < spintrain_module_len; i++) module_ram[i] = spintrain_module[i];
  rc = st_wamr_open(&engine, module_ram, spintrain_module_len, ST_WASM_STACK_BYTES, wamr_pool, sizeof wamr_pool);
#endif
  if (rc == ST_OK) rc = st_session_open(&session, &engine, &ST_CONFIG);
  if (rc == ST_OK) rc = st_session_load_weights(&session, spintrain_weights, spintrain_weights_len);
  if (rc != ST_OK) {
    st_protocol_error(&proto, rc);
    return rc;
  }
  st_protocol_hello(&proto); /* "ready <runtime> <linear bytes> draws <source>" */
  ready = 1;
  return ST_OK;
}

void st_app_poll(void) {
  int c;
  while (ready && (c = st_port_serial_read()) >= 0) st_protocol_feed(&proto, (uint8_t)c);
}
