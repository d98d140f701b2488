/*
 * A sketch's own app layer on the emulated board (QEMU mps2-an385, Cortex-M3): what `spintrain build
 * --runtime wasm2c` wrote — app/st_app.c with the weights compiled into spintrain_weights.h, the portable
 * glue, the GPIO HAL, runtime/st_wasm2c.c and runtime/wasm_rt_static.c built as in the sketch (traps unwound
 * to the protocol, no ST_W2C_TRAPS_HALT) — run as setup() and loop() would: st_app_setup() once, then
 * st_app_poll() until the compiled-in stream (st_stream.h: the bytes a host would send) is used up.
 * Replies go to UART0 (cortex-m/st_mps2_port.c), then "stack <bytes>": the painted-stack high-water mark.
 * The GPIO HAL's pins go nowhere: no MTJ daughter board answers, so env.mtj_sample's draws come from
 * st_port_random32, a fixed xorshift32 (a --draws prng build never asks). Tests only
 * (test/deploy/build-wasm2c.spec.ts).
 */
#include <stdint.h>
#include "../portable/st_port.h"
#include "../app/st_app.h"
#include "st_stream.h"

uint32_t st_port_stack_used(void);

static uint32_t at;
/* no MTJ board: native/st_port_no_mtj.c */
int st_port_serial_read(void) { return at < st_stream_len ? st_stream[at++] : -1; }

int main(void) {
  int rc = st_app_setup(); /* reports its own error */
  while (rc == 0 && at < st_stream_len) st_app_poll();
  uint32_t used = st_port_stack_used();
  char line[24] = "stack ", b[10];
  int n = 0, k = 6;
  do { b[n++] = (char)('0' + used % 10); used /= 10; } while (used);
  while (n) line[k++] = b[--n];
  line[k++] = '\n';
  st_port_serial_write(line, (uint32_t)k);
  return rc == 0 ? 0 : 1;
}
