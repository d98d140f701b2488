/* st_engine over wasm3 (Wasm3 ≥ 0.5.0, e.g. its Arduino library). */
#ifndef ST_WASM3_H
#define ST_WASM3_H
#include "../portable/st_engine.h"

/* Parses and loads the module (bytes may live in flash: wasm3 reads them in place), links
 * env.mtj_sample, looks up the exports, and caps linear memory at memory_limit bytes. */
int st_wasm3_open(st_engine *e, const uint8_t *wasm, uint32_t len, uint32_t memory_limit, uint32_t stack_bytes);
#endif
