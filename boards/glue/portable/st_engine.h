/*
 * st_engine: the spintrain module seen from C, independent of the WebAssembly runtime that runs it
 * (wasm3, WAMR, or a wasm2c translation). A runtime adapter (runtime/st_*.c) fills one st_engine;
 * everything in portable/ talks to the module only through it.
 *
 * ABI (assembly/index.ts): all arguments and results are i32; pointers are byte offsets into the
 * module's linear memory, which the module never grows (its base pointer stays valid).
 */
#ifndef ST_ENGINE_H
#define ST_ENGINE_H
#include <stdint.h>

/* The exports the glue calls, in the order of st_export_names. */
typedef enum {
  ST_FN_HEAP_BASE,                /* () -> i32                      */
  ST_FN_LAYOUT_SET,               /* (k, n) -> i32                  */
  ST_FN_CONFIGURE,                /* (layers, act, out, algo, source, flags, momentumQ16, pairsLog2) -> i32 */
  ST_FN_SIZEOF_TRAINING_MEMORY,   /* () -> i32 bytes                */
  ST_FN_SCHEDULE_TRAINING_MEMORY, /* (base) -> i32                  */
  ST_FN_SET_LEARNING_RATE,        /* (l, lrQ16) -> i32              */
  ST_FN_SET_DECAY,                /* (dQ16)                         */
  ST_FN_SET_EPOCH,                /* (epoch)                        */
  ST_FN_SET_PROBABILITY_FLOOR,    /* (epsQ16) -> i32                */
  ST_FN_SET_DELTA_CLIP,           /* (cQ24) -> i32                  */
  ST_FN_INIT_WEIGHTS,             /* (seed) -> i32                  */
  ST_FN_RNG_SEED,                 /* (seed)                         */
  ST_FN_REGION_PTR,               /* (region, k) -> i32 offset      */
  ST_FN_INPUT_U8,                 /* (ptr)                          */
  ST_FN_TRAIN_STEP,               /* (label) -> i32 predicted class */
  ST_FN_PREDICT,                  /* () -> i32 class                */
  ST_FN_SET_PAIR_STEP,            /* (dzQ16) -> i32                 */
  ST_FN_COUNT
} st_export;

extern const char *const st_export_names[ST_FN_COUNT];
extern const uint8_t st_export_arity[ST_FN_COUNT];
extern const uint8_t st_export_has_result[ST_FN_COUNT];

typedef struct st_engine {
  void *ctx;
  /* Calls export fn with st_export_arity[fn] arguments; *result gets its i32 result (0 for void).
   * Returns 0, or a negative ST_ERR_RUNTIME when the runtime reports a trap or a missing export. */
  int (*call)(void *ctx, st_export fn, const int32_t *args, int32_t *result);
  /* Base of linear memory and its usable size in bytes (may be less than pages × 64 KiB on a board). */
  uint8_t *(*memory)(void *ctx, uint32_t *size);
  /* Human-readable name of the runtime ("wasm2c", "wasm3", "wamr"). */
  const char *runtime;
} st_engine;

/* Plan regions (regionPtr(region, k); assembly/plan.ts): per weight layer k W, B, VW, VB; per layer k
 * A, Z, D, P, BITS, SLOPE, SHIFT. */
enum {
  ST_REGION_W = 0,     /* weights, n[k+1] × n[k]: i32 Q24, or with a narrow build (st_config.weight_bits)
                          i16 Q12 / i8 Q6, 2 / 1 bytes each, little-endian, contiguous   */
  ST_REGION_B = 1,     /* biases, n[k+1] i32 Q24                                        */
  ST_REGION_VW = 2,    /* momentum velocities of W (with momentum only)                 */
  ST_REGION_VB = 3,    /* momentum velocities of B (with momentum only)                 */
  ST_REGION_A = 4,     /* activations, n[k] i32 Q16 (k = 0: the input)                  */
  ST_REGION_Z = 5,     /* pre-activations, n[k] i32 Q16 (k ≥ 1)                         */
  ST_REGION_D = 6,     /* deltas, n[k] i32 Q24 (k ≥ 1; see plan.ts for its other uses)  */
  ST_REGION_P = 7,     /* draw probabilities Q16, hidden layers (pair: the derivative)  */
  ST_REGION_BITS = 8,  /* draws u8 (pair: V1, V2 i32 Q16), hidden layers               */
  ST_REGION_SLOPE = 9, /* trainable activation slopes k_j Q24, hidden layers           */
  ST_REGION_SHIFT = 10 /* trainable activation shifts c_j Q24, hidden layers           */
};

#endif
