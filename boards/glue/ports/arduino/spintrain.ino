// spintrain on-board trainer. `spintrain build --board <name> --out DIR` writes this sketch as
// DIR/spintrain/ with the glue under src/ (app/, portable/, hal/, runtime/) and the generated headers in
// src/generated/ (spintrain_module.h, spintrain_weights.h, spintrain_config.h, spintrain_board.h, spintrain_input.h).
// Install the runtime library (Wasm3, or WAMR for a WAMR profile), open the folder, build, flash.
// Serial protocol: src/portable/st_protocol.h.
#include "src/app/st_app.h"

extern "C" void st_port_begin(void);

// Boards with native USB (Nano 33 BLE, Pico, Teensy): Serial stays false until a host opens the port.
// Wait for one at most ST_SERIAL_WAIT_MS [ms], then run standalone: the banner written meanwhile is lost,
// and a host that connects later asks for it again with 'H'. On a USB-UART bridge (ESP32) Serial is true at once.
#ifndef ST_SERIAL_WAIT_MS
#define ST_SERIAL_WAIT_MS 2000UL
#endif

void setup() {
  st_port_begin();
  for (unsigned long t0 = millis(); !Serial && millis() - t0 < ST_SERIAL_WAIT_MS;) {}
  st_app_setup();
}

void loop() {
  st_app_poll();
}
