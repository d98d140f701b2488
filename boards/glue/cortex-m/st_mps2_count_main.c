/*
 * Instruction counting on the emulated Cortex-M3 (test/bench/board-speed.ts, `make mps2-count`): replays a
 * compiled-in stream (st_stream.h) like st_mps2_main.c, but the protocol's training clock is SysTick
 * ticks instead of microseconds, so `r` reports each epoch's training time in ticks of the 25 MHz system
 * clock. Under `qemu-system-arm -icount shift=0` (1 ns of virtual time per guest instruction) one tick
 * is 40 instructions. The runtime is picked at compile time:
 *   default            the module translated by wasm2c (runtime/st_wasm2c.c, cortex-m/wasm_rt_static.c)
 *   -DST_COUNT_WASM3   wasm3 (runtime/st_wasm3.c + wasm3's sources, not part of spintrain) on the module
 *                      bytes of spintrain_module.h, its stack ST_WASM_STACK_BYTES (default 8 KiB)
 * The last line is "count ticks-per-us 25 runtime <name>".
 */
#include <stdint.h>
#include "../portable/st_errors.h"
#include "../portable/st_protocol.h"
#include "../portable/st_port.h"
#include "spintrain_config.h"
#include "st_stream.h"
#ifdef ST_COUNT_WASM3
#include "../runtime/st_wasm3.h"
#include "spintrain_module.h"
#ifndef ST_WASM_STACK_BYTES
#define ST_WASM_STACK_BYTES (8 * 1024)
#endif
#else
#include "../runtime/st_wasm2c.h"
#endif

void st_hal_sim_seed(uint32_t seed);

#ifndef ST_HAL_SEED
#define ST_HAL_SEED 1u
#endif

#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define TICKS_PER_MS 25000u /* st_mps2_port.c: SysTick reloads every 1 ms at 25 MHz */

/* SysTick ticks since reset: the port's millisecond count (from st_port_micros) and the down-counter,
 * read again until no reload happened in between. */
static uint32_t ticks(void) {
  uint32_t v0, v1, us;
  do {
    v0 = SYST_CVR;
    us = st_port_micros();
    v1 = SYST_CVR;
  } while (v1 > v0);
  return (us / 1000u) * TICKS_PER_MS + (TICKS_PER_MS - 1u - v1);
}

int main(void) {
  static st_engine engine;
  static st_session session;
  static st_protocol proto;
  st_hal_sim_seed(ST_HAL_SEED);
#ifdef ST_COUNT_WASM3
  if (st_wasm3_open(&engine, spintrain_module, spintrain_module_len, ST_CONFIG.linear_memory_limit, ST_WASM_STACK_BYTES) != ST_OK) {
    st_port_serial_write("! wasm3 open failed\n", 20);
    return 1;
  }
#else
  st_wasm2c_open(&engine);
#endif
  if (st_protocol_start(&proto, &session, &engine, &ST_CONFIG, st_port_serial_write, ticks) != ST_OK) return 1;
  st_protocol_hello(&proto);
  for (uint32_t i = 0; i < st_stream_len; i++) {
    if (st_protocol_feed(&proto, st_stream[i])) break;
  }
  const char *done = engine.runtime;
  uint32_t n = 0;
  while (done[n]) n++;
  st_port_serial_write("count ticks-per-us 25 runtime ", 30);
  st_port_serial_write(done, n);
  st_port_serial_write("\n", 1);
  return 0;
}
