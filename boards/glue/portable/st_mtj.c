#include "st_mtj.h"
#include "st_errors.h"

int st_mtj_sample(uint8_t *mem, uint32_t mem_size, int32_t hidden, int32_t count, int32_t probs, int32_t bits, int32_t draws) {
  if (hidden < 0 || count < 0 || draws < 1 || draws > 16 || probs < 0 || bits < 0) return ST_ERR_BOUNDS;
  uint64_t probs_end = (uint64_t)(uint32_t)probs + 4u * (uint64_t)(uint32_t)count;
  uint64_t bits_end = (uint64_t)(uint32_t)bits + (uint64_t)(uint32_t)count * (uint32_t)draws;
  if (probs_end > mem_size || bits_end > mem_size) return ST_ERR_BOUNDS;
  st_hal_sample_layer((uint32_t)hidden, (uint32_t)count, mem + probs, mem + bits, (uint32_t)draws);
  return ST_OK;
}
