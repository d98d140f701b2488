#include "st_errors.h"

const char *st_strerror(int code) {
  switch (code) {
    case ST_OK: return "ok";
    case ST_ERR_RUNTIME: return "runtime: trap or missing export";
    case ST_ERR_MEMORY: return "training memory exceeds the board's linear memory";
    case ST_ERR_LAYOUT: return "layout: 3..6 layers of width 1..8192 expected";
    case ST_ERR_BOUNDS: return "mtj_sample: pointer outside linear memory";
    case ST_ERR_POOL: return "runtime: WAMR pool too small for module, instance and exec env (ST_WAMR_POOL_BYTES)";
    case ST_ERR_NO_PAIRS: return "mtj_sample: pair read (draws = 0), but this HAL has no MTJ pairs";
    case ST_ERR_PROTOCOL: return "protocol: unknown command (expected S, P, E, R, W, H or Q)";
    case ST_ERR_WEIGHTS_MAGIC: return "weights: magic: not a spintrain weights file (STWT)";
    case ST_ERR_WEIGHTS_VERSION: return "weights: version: unsupported";
    case ST_ERR_WEIGHTS_LENGTH: return "weights: length: truncated or trailing bytes";
    case ST_ERR_WEIGHTS_CHECKSUM: return "weights: checksum: CRC-32 mismatch (corrupt or modified)";
    case ST_ERR_WEIGHTS_HEADER: return "weights: header: field out of range";
    case ST_ERR_WEIGHTS_LAYOUT: return "weights: layout: does not match the module's layout";
    case ST_ERR_WEIGHTS_TENSOR: return "weights: tensors: W<l>/B<l> missing or of the wrong size";
    case ST_ERR_WEIGHTS_FORMAT: return "weights: tensors: W<l>/B<l> stored in another width than the build's (ST_WEIGHT_BITS; B<l> i32 Q24)";
    default: return code <= ST_ERR_ENGINE_BASE + 0 && code > ST_ERR_ENGINE_BASE - 100 ? "engine setup call failed" : "unknown error";
  }
}
