/* Declaration-only stand-in for wasm3's m3_env.h: the one field the glue sets. See README.md. */
#ifndef m3_env_h
#define m3_env_h
#include "wasm3.h"
struct M3Runtime {
  uint32_t memoryLimit; /* bytes; 0 = none */
};
#endif
