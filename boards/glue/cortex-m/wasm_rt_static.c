/*
 * A bare-metal implementation of the wasm2c runtime API (wasm-rt.h of wabt 1.0.32) for a
 * microcontroller: no mmap, no signals, no heap. Linear memory is one static buffer of
 * ST_LINEAR_MEMORY_BYTES — less than a 64 KiB page when the board has less: memory.size still
 * reports the module's page count, but every access is bounds-checked against `size` (32-bit
 * targets use wasm2c's explicit checks), so using more than the buffer traps instead of corrupting
 * RAM. memory.grow always fails (the module never executes it).
 * A trap:
 *   -DST_W2C_TRAPS_HALT  reports through st_port_fatal and halts (the emulated MPS2 board);
 *   otherwise            longjmps to wasm_rt_impl_try() in runtime/st_wasm2c.c, which returns
 *                        ST_ERR_RUNTIME: the board reports it on the serial line and keeps running.
 * Used by the MPS2 builds (Makefile, the tests) and copied into a sketch by `spintrain build --runtime
 * wasm2c` as src/runtime/wasm_rt_static.c, where wasm-rt.h and ST_LINEAR_MEMORY_BYTES come from
 * ../generated/ (wasm-rt.h, spintrain_board.h): an Arduino build passes no -I or -D.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#if defined(__has_include)
#if __has_include("../generated/spintrain_board.h")
#define ST_W2C_SKETCH 1
#endif
#endif
#ifdef ST_W2C_SKETCH
#include "../generated/spintrain_board.h"
#include "../generated/wasm-rt.h"
#else
#include "wasm-rt.h"
#endif

#ifndef ST_LINEAR_MEMORY_BYTES
#error "define ST_LINEAR_MEMORY_BYTES: the bytes of linear memory the board gives the module"
#endif
#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "there is no signal handler here: build with -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0 (the default on 32-bit targets), so that wasm2c's code checks every access"
#endif

static uint8_t linear_memory[ST_LINEAR_MEMORY_BYTES] __attribute__((aligned(8)));
static bool initialized;
#if WASM_RT_USE_STACK_DEPTH_COUNT
uint32_t wasm_rt_call_stack_depth;
#endif

void wasm_rt_init(void) { initialized = true; }
bool wasm_rt_is_initialized(void) { return initialized; }
void wasm_rt_free(void) { initialized = false; }

#ifdef ST_W2C_TRAPS_HALT
void st_port_fatal(const char *what, uint32_t code);

void wasm_rt_trap(wasm_rt_trap_t code) {
  st_port_fatal("wasm trap", (uint32_t)code);
  for (;;) {}
}
#else
/* What wasm-rt-impl.h's wasm_rt_impl_try() refers to. */
jmp_buf wasm_rt_jmp_buf;
static jmp_buf *unwind_target;
#if WASM_RT_USE_STACK_DEPTH_COUNT
uint32_t wasm_rt_saved_call_stack_depth;
#endif

void wasm_rt_set_unwind_target(jmp_buf *target) { unwind_target = target; }
jmp_buf *wasm_rt_get_unwind_target(void) { return unwind_target; }

void wasm_rt_trap(wasm_rt_trap_t code) {
#if WASM_RT_USE_STACK_DEPTH_COUNT
  wasm_rt_call_stack_depth = wasm_rt_saved_call_stack_depth;
#endif
  longjmp(wasm_rt_jmp_buf, (int)code);
}
#endif

/* Function types: the module registers each signature once at start-up; equal signatures must get
 * equal indices (only call_indirect compares them). A small table of (params, results, types) keys. */
#define MAX_TYPES 32
static uint32_t type_keys[MAX_TYPES][3];
static uint32_t type_count;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  uint32_t hash = 2166136261u;
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < params + results; i++) hash = (hash ^ (uint32_t)va_arg(ap, int)) * 16777619u;
  va_end(ap);
  for (uint32_t t = 0; t < type_count; t++) {
    if (type_keys[t][0] == params && type_keys[t][1] == results && type_keys[t][2] == hash) return t + 1;
  }
  if (type_count == MAX_TYPES) wasm_rt_trap(WASM_RT_TRAP_CALL_INDIRECT);
  type_keys[type_count][0] = params;
  type_keys[type_count][1] = results;
  type_keys[type_count][2] = hash;
  return ++type_count;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages, uint32_t max_pages) {
  uint64_t bytes = (uint64_t)initial_pages * 65536u;
  memory->data = linear_memory;
  memory->pages = initial_pages;
  memory->max_pages = max_pages;
  memory->size = bytes < sizeof linear_memory ? (uint32_t)bytes : (uint32_t)sizeof linear_memory;
  memset(linear_memory, 0, sizeof linear_memory);
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta) {
  (void)memory;
  (void)delta;
  return 0xffffffffu;
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory) { memory->data = 0; }
