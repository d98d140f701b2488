/* st_engine over WAMR (WebAssembly Micro Runtime ≥ 2.0, interpreter or fast interpreter). */
#ifndef ST_WAMR_H
#define ST_WAMR_H
#include "../portable/st_engine.h"

/* Initialises WAMR on pool (pool_bytes, 8-byte aligned; ST_WAMR_POOL_BYTES from spintrain_board.h, see
 * st_wamr.c for the formula), registers env.mtj_sample, loads and instantiates the module. WAMR may patch
 * the bytecode while loading, so wasm must be writable (copy it from flash to RAM). ST_ERR_POOL when the
 * pool is too small. */
int st_wamr_open(st_engine *e, uint8_t *wasm, uint32_t len, uint32_t stack_bytes, void *pool, uint32_t pool_bytes);
#endif
