/*
 * The firmware's main loop, shared by every board: open the runtime (ST_RUNTIME_WASM3,
 * ST_RUNTIME_WAMR or ST_RUNTIME_WASM2C, from spintrain_board.h), set the network up, load the weights compiled into
 * flash (spintrain_weights.h), then feed serial bytes to the protocol forever.
 */
#ifndef ST_APP_H
#define ST_APP_H
#ifdef __cplusplus
extern "C" {
#endif
/* Returns ST_OK, or an error already reported on the serial line. */
int st_app_setup(void);
void st_app_poll(void);
#ifdef __cplusplus
}
#endif
#endif
