/* st_engine over WAMR (WebAssembly Micro Runtime ≥ 2.0, interpreter or fast interpreter). */
#ifndef ST_WAMR_H
#define ST_WAMR_H
#include "../portable/st_engine.h"

/* Initialises WAMR on a static pool, registers env.mtj_sample, loads and instantiates the module.
 * WAMR may patch the bytecode while loading, so wasm must be writable (copy it from flash to RAM). */
int st_wamr_open(st_engine *e, uint8_t *wasm, uint32_t len, uint32_t stack_bytes);
#endif
