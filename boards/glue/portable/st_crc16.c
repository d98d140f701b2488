#include "st_crc16.h"

uint16_t st_crc16_update(uint16_t crc, const uint8_t *data, uint32_t len) {
  uint32_t c = crc;
  for (uint32_t i = 0; i < len; i++) {
    c ^= (uint32_t)data[i] << 8;
    for (int k = 0; k < 8; k++) c = (c & 0x8000u) ? ((c << 1) ^ 0x1021u) : (c << 1);
  }
  return (uint16_t)c;
}
