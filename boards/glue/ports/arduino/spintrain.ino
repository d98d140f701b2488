// spintrain on-board trainer: copy this folder together with the files `spintrain build` wrote
// (spintrain_*.h) and boards/glue/{portable,hal,runtime} into one sketch folder, install the
// runtime library (Wasm3 or WAMR) and build for the board. Serial protocol: portable/st_protocol.h.
#include "st_app.h"

extern "C" void st_port_begin(void);

void setup() {
  st_port_begin();
  while (!Serial) {}
  st_app_setup();
}

void loop() {
  st_app_poll();
}
