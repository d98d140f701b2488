// spintrain on-board trainer. `spintrain build --board <name> --out DIR` writes this sketch as
// DIR/spintrain/ with the glue under src/ (portable/, hal/, runtime/) and the generated headers in
// src/portable/ (spintrain_module.h, spintrain_weights.h, spintrain_config.h, spintrain_board.h).
// Install the runtime library (Wasm3, or WAMR for the WAMR boards), open the folder, build, flash.
// Serial protocol: src/portable/st_protocol.h.
#include "src/portable/st_app.h"

extern "C" void st_port_begin(void);

void setup() {
  st_port_begin();
  while (!Serial) {}
  st_app_setup();
}

void loop() {
  st_app_poll();
}
