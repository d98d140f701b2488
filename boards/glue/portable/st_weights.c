#include "st_weights.h"
#include "st_errors.h"

uint32_t st_crc32(const uint8_t *data, uint32_t len) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint32_t i = 0; i < len; i++) {
    c ^= data[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (rd16(p + 2) << 16); }

/* Bounds-checked cursor over the variable header. */
typedef struct { const uint8_t *p; uint32_t at, end; int bad; } cursor;
static const uint8_t *take(cursor *c, uint32_t n) {
  if (c->bad || n > c->end - c->at) { c->bad = 1; return 0; }
  const uint8_t *q = c->p + c->at;
  c->at += n;
  return q;
}
static uint32_t u8(cursor *c) { const uint8_t *q = take(c, 1); return q ? q[0] : 0; }
static uint32_t u16(cursor *c) { const uint8_t *q = take(c, 2); return q ? rd16(q) : 0; }
static uint32_t u32(cursor *c) { const uint8_t *q = take(c, 4); return q ? rd32(q) : 0; }

/* Payload bytes of a tensor: count · bits/8 rounded up to a multiple of 4 (weights-file.ts tensorBytes). */
static uint64_t tensor_bytes(uint32_t count, uint32_t bits) { return (((uint64_t)count * bits / 8u) + 3u) & ~(uint64_t)3u; }

int st_weights_walk(const uint8_t *file, uint32_t len, const st_config *cfg, st_tensor_fn fn, void *user) {
  if (len >= 4 && !(file[0] == 'S' && file[1] == 'T' && file[2] == 'W' && file[3] == 'T')) return ST_ERR_WEIGHTS_MAGIC;
  if (len < 20) return ST_ERR_WEIGHTS_LENGTH;
  uint32_t version = rd16(file + 4);
  if (version == 0 || version > 2) return ST_ERR_WEIGHTS_VERSION;
  uint32_t h = rd32(file + 8), payload = rd32(file + 12);
  if (h > len || payload > len || 16u + h + payload + 4u != len) return ST_ERR_WEIGHTS_LENGTH;
  if (st_crc32(file, len - 4) != rd32(file + len - 4)) return ST_ERR_WEIGHTS_CHECKSUM;
  if (rd16(file + 6) != 0 || (h & 3) || (payload & 3)) return ST_ERR_WEIGHTS_HEADER;

  cursor c = { file + 16, 0, h, 0 };
  uint32_t layers = u16(&c);
  if (layers != cfg->layers) return c.bad ? ST_ERR_WEIGHTS_HEADER : ST_ERR_WEIGHTS_LAYOUT;
  for (uint32_t k = 0; k < layers; k++) {
    if (u32(&c) != (uint32_t)cfg->layout[k]) return c.bad ? ST_ERR_WEIGHTS_HEADER : ST_ERR_WEIGHTS_LAYOUT;
  }
  take(&c, u8(&c));                            /* activation name */
  uint32_t frac_weights = u8(&c);
  if (frac_weights != 24) return ST_ERR_WEIGHTS_HEADER; /* the header's weights Q24 (v1: every tensor's) */
  u8(&c);                                      /* activations' Q  */
  uint32_t tensors = u16(&c);
  if (c.bad) return ST_ERR_WEIGHTS_HEADER;
  /* The tensor table precedes the metadata; payload tensors follow the header in table order. */
  cursor table = c;
  uint64_t bytes = 0;
  for (uint32_t t = 0; t < tensors; t++) {
    uint32_t name_len = u8(&c);
    if (name_len == 0) return ST_ERR_WEIGHTS_HEADER; /* names are 1..255 bytes */
    take(&c, name_len);
    uint32_t count = u32(&c), bits = 32;
    if (version >= 2) {
      bits = u8(&c);
      if (bits != 32 && bits != 16 && bits != 8) return ST_ERR_WEIGHTS_HEADER;
      if (u8(&c) > 31) return ST_ERR_WEIGHTS_HEADER; /* frac_bits */
    }
    bytes += tensor_bytes(count, bits);
  }
  if (c.bad || bytes != payload) return ST_ERR_WEIGHTS_HEADER;
  const uint8_t *data = file + 16 + h;
  for (uint32_t t = 0; t < tensors; t++) {
    uint8_t name_len = (uint8_t)u8(&table);
    const uint8_t *name = take(&table, name_len);
    uint32_t count = u32(&table), bits = 32, frac = frac_weights;
    if (version >= 2) {
      bits = u8(&table);
      frac = u8(&table);
    }
    uint32_t used = count * (bits / 8u), padded = (uint32_t)tensor_bytes(count, bits);
    for (uint32_t i = used; i < padded; i++) {
      if (data[i] != 0) return ST_ERR_WEIGHTS_HEADER; /* padding is zero, as decodeWeights requires */
    }
    int r = fn(user, (const char *)name, name_len, data, count, (uint8_t)bits, (uint8_t)frac);
    if (r != ST_OK) return r;
    data += padded;
  }
  return ST_OK;
}
