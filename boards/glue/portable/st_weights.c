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

int st_weights_walk(const uint8_t *file, uint32_t len, const st_config *cfg, st_tensor_fn fn, void *user) {
  if (len >= 4 && !(file[0] == 'S' && file[1] == 'T' && file[2] == 'W' && file[3] == 'T')) return ST_ERR_WEIGHTS_MAGIC;
  if (len < 20) return ST_ERR_WEIGHTS_LENGTH;
  uint32_t version = rd16(file + 4);
  if (version == 0 || version > 1) return ST_ERR_WEIGHTS_VERSION;
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
  if (u8(&c) != 24) return ST_ERR_WEIGHTS_HEADER; /* weights Q24 */
  u8(&c);                                      /* activations' Q  */
  uint32_t tensors = u16(&c);
  if (c.bad) return ST_ERR_WEIGHTS_HEADER;
  /* The tensor table precedes the metadata; payload tensors follow the header in table order. */
  cursor table = c;
  uint32_t elements = 0;
  for (uint32_t t = 0; t < tensors; t++) {
    take(&c, u8(&c));
    elements += u32(&c);
  }
  if (c.bad || 4u * elements != payload) return ST_ERR_WEIGHTS_HEADER;
  const uint8_t *data = file + 16 + h;
  for (uint32_t t = 0; t < tensors; t++) {
    uint8_t name_len = (uint8_t)u8(&table);
    const uint8_t *name = take(&table, name_len);
    uint32_t count = u32(&table);
    int r = fn(user, (const char *)name, name_len, data, count);
    if (r != ST_OK) return r;
    data += 4u * count;
  }
  return ST_OK;
}
