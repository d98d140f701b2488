/*
 * Training run on the emulated Cortex-M board: the wasm2c translation of the board module, the
 * portable glue, the simulated MTJ HAL, and a serial stream compiled in (st_stream.h: the bytes a
 * host would send over the UART). Replies go to UART0, then a memory report:
 *   "mem linear <bytes used by the module> limit <ST_LINEAR_MEMORY_BYTES> stack <bytes>"
 */
#include <stdint.h>
#include "../portable/st_errors.h"
#include "../portable/st_protocol.h"
#include "../portable/st_port.h"
#include "../runtime/st_wasm2c.h"
#include "spintrain_config.h"
#include "st_stream.h"

void st_hal_sim_seed(uint32_t seed);
uint32_t st_port_stack_used(void);

#ifndef ST_HAL_SEED
#define ST_HAL_SEED 1u
#endif

static void put_u32(char **at, uint32_t v) {
  char b[10];
  int n = 0;
  do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) *(*at)++ = b[--n];
}

int main(void) {
  static st_engine engine;
  static st_session session;
  static st_protocol proto;
  st_hal_sim_seed(ST_HAL_SEED);
  st_wasm2c_open(&engine);
  if (st_protocol_start(&proto, &session, &engine, &ST_CONFIG, st_port_serial_write, st_port_micros) != ST_OK) return 1;
  proto.runtime = "wasm2c-cortex-m3";
  st_protocol_hello(&proto);
  char line[96], *at;
  for (uint32_t i = 0; i < st_stream_len; i++) {
    if (st_protocol_feed(&proto, st_stream[i])) break;
  }
  at = line;
  const char *m = "mem linear ";
  while (*m) *at++ = *m++;
  put_u32(&at, session.linear_bytes);
  m = " limit ";
  while (*m) *at++ = *m++;
  put_u32(&at, ST_LINEAR_MEMORY_BYTES);
  m = " stack ";
  while (*m) *at++ = *m++;
  put_u32(&at, st_port_stack_used());
  *at++ = '\n';
  st_port_serial_write(line, (uint32_t)(at - line));
  return 0;
}
