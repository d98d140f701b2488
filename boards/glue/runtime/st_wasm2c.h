/* st_engine over a wasm2c translation of the module (wabt 1.0.32 naming: Z_spintrain…, `wasm2c -n spintrain`). */
#ifndef ST_WASM2C_H
#define ST_WASM2C_H
#include "../portable/st_engine.h"

/* Instantiates the module (wasm_rt_init and Z_spintrain_init_module are called here) and fills e;
 * ST_ERR_RUNTIME when instantiation traps (not with ST_W2C_TRAPS_HALT, which halts). */
int st_wasm2c_open(st_engine *e);
#endif
