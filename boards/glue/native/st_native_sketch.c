/*
 * A host port (portable/st_port.h) and main() that run a sketch's own sources natively — the app layer
 * (app/st_app.c: the runtime spintrain_board.h names, the weights compiled into spintrain_weights.h), the
 * portable glue, the GPIO HAL, and for a wasm2c build the translation with its bare-metal runtime — as the
 * sketch's setup() and loop() would: st_app_setup() once, then st_app_poll() while bytes arrive.
 * Serial is stdin/stdout. No MTJ daughter board answers (st_port_mtj_present() = 0), so p-GAF draws on
 * env.mtj_sample come from st_port_random32, a fixed xorshift32; a --draws prng build never asks. Tests
 * only (test/deploy/build-wasm2c.spec.ts); compile with -I<sketch>/src/generated for spintrain_board.h.
 */
#include <stdio.h>
#include <stdint.h>
#include "../portable/st_port.h"
#include "../app/st_app.h"

/* no MTJ board: native/st_port_no_mtj.c */
uint32_t st_port_micros(void) { return 0; }
void st_port_serial_write(const char *text, uint32_t len) { fwrite(text, 1, len, stdout); }
int st_port_serial_read(void) { return getchar(); }

int main(void) {
  if (st_app_setup() != 0) return 1; /* the error is already on stdout */
  while (!feof(stdin)) st_app_poll();
  fflush(stdout);
  return 0;
}
