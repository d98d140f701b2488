/*
 * Linear-memory access for the wasm2c translation on cores without unaligned loads (ARMv6-M: Cortex-M0/M0+,
 * the RP2040's). Included by the translated module right after "spintrain.h" (spintrain build inserts the line;
 * host/deploy/wasm2c-sketch.ts), so it replaces wasm-rt.h's wasm_rt_memcpy before wasm2c's DEFINE_LOAD and
 * DEFINE_STORE macros are expanded.
 *
 * wasm2c copies every load and store through wasm_rt_memcpy (__builtin_memcpy), because WebAssembly allows any
 * alignment. Where the core can do unaligned accesses (ARMv7-M) gcc turns the fixed-size copy into one load or
 * store. On ARMv6-M it cannot, so every access became a call to memcpy (a byte loop in newlib nano): the
 * board-speed bench counted 5.7x the Cortex-M3's instructions per training sample for the same C.
 *
 * Here a copy of 1, 2, 4 or 8 bytes whose two addresses are aligned for the size (4 for 8) is one access
 * (two for 8); any other copy goes byte by byte. A copy is a copy: the results, and so the trained weights,
 * are the same bit for bit (test/deploy/build-wasm2c.spec.ts compares them with V8). The module's data is
 * almost always aligned (AssemblyScript aligns i32 arrays and the plan's regions to 4 bytes), so the byte path
 * is rare. may_alias keeps the accesses legal under gcc's strict aliasing.
 *
 * On every other core this header defines nothing.
 */
#ifndef ST_WASM2C_ACCESS_H
#define ST_WASM2C_ACCESS_H

#if defined(__ARM_ARCH_6M__)
#include <stddef.h>
#include <stdint.h>

typedef uint16_t st_u16_alias __attribute__((may_alias));
typedef uint32_t st_u32_alias __attribute__((may_alias));

static inline __attribute__((always_inline)) void st_w2c_copy(void *dst, const void *src, size_t n) {
  uintptr_t either = (uintptr_t)dst | (uintptr_t)src;
  if (n == 4 && (either & 3u) == 0) {
    *(st_u32_alias *)dst = *(const st_u32_alias *)src;
  } else if (n == 2 && (either & 1u) == 0) {
    *(st_u16_alias *)dst = *(const st_u16_alias *)src;
  } else if (n == 1) {
    *(uint8_t *)dst = *(const uint8_t *)src;
  } else if (n == 8 && (either & 3u) == 0) {
    ((st_u32_alias *)dst)[0] = ((const st_u32_alias *)src)[0];
    ((st_u32_alias *)dst)[1] = ((const st_u32_alias *)src)[1];
  } else {
    unsigned char *d = (unsigned char *)dst;
    const unsigned char *s = (const unsigned char *)src;
    while (n--) *d++ = *s++;
  }
}

#undef wasm_rt_memcpy
#define wasm_rt_memcpy st_w2c_copy
#endif

#endif
