/*
 * spintrain as an Arduino library. `spintrain build --board <name> --out DIR` writes the library to
 * DIR/arduino-library/spintrain/ (host/deploy/arduino-library.ts) with this header at the top of its src/.
 * A sketch includes <spintrain.h>, calls st_port_begin() and st_app_setup() in setup() and st_app_poll() in
 * loop(): the library's examples/<board>/<board>.ino is the build's spintrain.ino doing just that.
 * The library's src/ is the sketch folder DIR/spintrain/ without spintrain.ino (st_port_arduino.cpp and
 * src/{app,portable,hal,runtime,generated}), so every include resolves as it does in the sketch.
 */
#ifndef SPINTRAIN_H
#define SPINTRAIN_H
#include "src/app/st_app.h"
#ifdef __cplusplus
extern "C" {
#endif
/* The board port's set-up (serial at ST_SERIAL_BAUD, the MTJ pins): first thing in setup(). */
void st_port_begin(void);
#ifdef __cplusplus
}
#endif
#endif
