#include "st_frame.h"
#include "st_crc16.h"

void st_frame_init(st_framer *f, const st_frame_sink *sink) {
  f->sink = *sink;
  f->have = 0;
  f->expect = 0;
  f->frames = f->crc_errors = f->out_of_order = f->duplicates = 0;
}

char *st_utoa10(char *at, uint32_t v) {
  char tmp[10];
  int n = 0;
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) *at++ = tmp[--n];
  return at;
}

/* "a <seq>\n" or "n <expect> <reason>\n" */
static void reply(st_framer *f, char tag, uint32_t seq, const char *reason) {
  char line[24], *at = line;
  *at++ = tag;
  *at++ = ' ';
  at = st_utoa10(at, seq);
  if (reason) {
    *at++ = ' ';
    while (*reason) *at++ = *reason++;
  }
  *at++ = '\n';
  f->sink.write(line, (uint32_t)(at - line));
}

/* Drops the first `skip` bytes (≥ 1), then any that cannot start a frame: the buffer starts at the next candidate. */
static void hunt(st_framer *f, uint32_t skip) {
  uint32_t k = skip;
  while (k < f->have && f->sink.payload_len(f->sink.ctx, f->buf[k]) < 0) k++;
  for (uint32_t i = k; i < f->have; i++) f->buf[i - k] = f->buf[i];
  f->have -= k;
}

/* Takes every complete frame the buffer holds; stops when a candidate needs more bytes. */
static void drain(st_framer *f) {
  while (f->have > 0) {
    int32_t want = f->sink.payload_len(f->sink.ctx, f->buf[0]);
    if (want < 0) { hunt(f, 1); continue; }
    if (f->have < ST_FRAME_HEADER) return;
    uint32_t len = (uint32_t)f->buf[2] | ((uint32_t)f->buf[3] << 8);
    if (len != (uint32_t)want) { hunt(f, 1); continue; }
    if (len > ST_FRAME_MAX_PAYLOAD) { /* a well-formed header, but longer than the buffer: the host must not resend */
      reply(f, 'n', f->expect, "size");
      hunt(f, 1);
      continue;
    }
    uint32_t total = ST_FRAME_HEADER + len + ST_FRAME_TRAILER;
    if (f->have < total) return;
    uint16_t crc = st_crc16_update(ST_CRC16_INIT, f->buf, ST_FRAME_HEADER + len);
    uint16_t sent = (uint16_t)(f->buf[total - 2] | (f->buf[total - 1] << 8));
    if (crc != sent) {
      f->crc_errors++;
      reply(f, 'n', f->expect, "crc");
      hunt(f, 1);
      continue;
    }
    uint8_t seq = f->buf[1];
    uint8_t behind = (uint8_t)(f->expect - seq);
    if (seq == f->expect) {
      reply(f, 'a', seq, 0);
      f->expect++;
      f->frames++;
      f->sink.frame(f->sink.ctx, f->buf[0], f->buf + ST_FRAME_HEADER, len);
    } else if (behind >= 1 && behind <= 128) {
      f->duplicates++;
      reply(f, 'a', seq, 0);
    } else {
      f->out_of_order++;
      reply(f, 'n', f->expect, "order");
    }
    hunt(f, total);
  }
}

void st_frame_feed(st_framer *f, uint8_t byte) {
  if (f->have == 0 && f->sink.payload_len(f->sink.ctx, byte) < 0) return; /* hunting: not a start byte */
  f->buf[f->have++] = byte;
  drain(f);
}
