#include "st_protocol.h"
#include "st_errors.h"
#include "st_mtj.h"

static void put(st_protocol *p, const char *s) {
  uint32_t n = 0;
  while (s[n]) n++;
  p->write(s, n);
}

static void put_uints(st_protocol *p, char tag, const uint32_t *v, int n) {
  char line[64], *at = line;
  *at++ = tag;
  for (int i = 0; i < n; i++) { *at++ = ' '; at = st_utoa10(at, v[i]); }
  *at++ = '\n';
  p->write(line, (uint32_t)(at - line));
}

void st_protocol_error(st_protocol *p, int code) {
  char line[16] = "! -", *at = st_utoa10(line + 3, (uint32_t)(-code));
  *at++ = ' ';
  p->write(line, (uint32_t)(at - line));
  put(p, st_strerror(code));
  put(p, "\n");
}

/* Element i of W<l> as Q24: the stored integer w · 2^(24 − F) (exact; 16-bit Q12 · 4096, 8-bit Q6 · 262144),
 * so the dump's unit is i32 Q24 whatever the build's width, as the host's exportParameters widens. */
static int32_t weight_q24(const st_config *cfg, const uint8_t *t, uint32_t i) {
  switch (st_weight_bits(cfg)) {
    case 16: return (int32_t)(int16_t)(uint16_t)((uint32_t)t[2u * i] | ((uint32_t)t[2u * i + 1u] << 8)) * 4096;
    case 8: return (int32_t)(int8_t)t[i] * 262144;
    default: return st_load_i32(t + 4u * i);
  }
}

/* 'W': per weight layer "t W<l> <count> <hex i32 Q24 …>" and "t B<l> …", then "w". */
static void dump(st_protocol *p) {
  static const char hex[] = "0123456789abcdef";
  st_session *s = p->session;
  for (int l = 0; l < s->cfg->layers - 1; l++) {
    for (int r = ST_REGION_W; r <= ST_REGION_B; r++) {
      uint32_t count = 0;
      const uint8_t *t = st_session_tensor(s, r, l, &count);
      if (!t) { st_protocol_error(p, ST_ERR_RUNTIME); return; }
      char head[24] = "t X0 ", *at = head + 5;
      head[2] = r == ST_REGION_W ? 'W' : 'B';
      head[3] = (char)('0' + l);
      at = st_utoa10(at, count);
      p->write(head, (uint32_t)(at - head));
      for (uint32_t i = 0; i < count; i++) {
        char w[9] = " ";
        uint32_t v = (uint32_t)(r == ST_REGION_W ? weight_q24(s->cfg, t, i) : st_load_i32(t + 4u * i));
        for (int k = 0; k < 8; k++) w[1 + k] = hex[(v >> (28 - 4 * k)) & 15];
        p->write(w, 9);
      }
      put(p, "\n");
    }
  }
  put(p, "w\n");
}

/* Payload bytes each command carries (st_frame_sink.payload_len); −1: not a command letter. */
static int32_t payload_len(void *ctx, uint8_t cmd) {
  st_protocol *p = (st_protocol *)ctx;
  int32_t n0 = p->session->cfg->layout[0];
  switch (cmd) {
    case 'S': return 1 + n0;
    case 'P': return n0;
    case 'E': return 2;
    case 'R': case 'W': case 'Q': case 'H': return 0;
    default: return -1;
  }
}

void st_protocol_hello(st_protocol *p) {
  st_session *s = p->session;
  char line[96] = "ready ", *at = line + 6;
  const char *name = p->runtime ? p->runtime : s->engine ? s->engine->runtime : "?";
  const char *src = st_draw_source(s->cfg);
  while (*name && at < line + 40) *at++ = *name++;
  *at++ = ' ';
  at = st_utoa10(at, s->linear_bytes);
  for (const char *k = " draws "; *k;) *at++ = *k++;
  while (*src && at < line + sizeof line - 1) *at++ = *src++;
  *at++ = '\n';
  p->write(line, (uint32_t)(at - line));
}

/* A new frame, in order (its ACK is written). */
static void run(void *ctx, uint8_t cmd, const uint8_t *buf, uint32_t len) {
  st_protocol *p = (st_protocol *)ctx;
  st_session *s = p->session;
  (void)len;
  switch (cmd) {
    case 'S': {
      uint32_t t0 = p->micros ? p->micros() : 0;
      int32_t y = st_session_train(s, buf + 1, buf[0]);
      if (p->micros) p->train_us += p->micros() - t0;
      if (y < 0) st_protocol_error(p, y);
      break;
    }
    case 'P': {
      int32_t y = st_session_predict(s, buf);
      if (y < 0) st_protocol_error(p, y);
      else { uint32_t v = (uint32_t)y; put_uints(p, 'p', &v, 1); }
      break;
    }
    case 'E': {
      uint32_t e = (uint32_t)buf[0] | ((uint32_t)buf[1] << 8);
      st_session_set_epoch(s, e);
      p->train_us = 0;
      put_uints(p, 'e', &e, 1);
      break;
    }
    case 'R': { uint32_t v[3] = { s->steps, s->correct, p->train_us }; put_uints(p, 'r', v, 3); break; }
    case 'W': dump(p); break;
    case 'H': st_protocol_hello(p); break;
    case 'Q': put(p, "q\n"); p->quit = 1; break;
  }
}

void st_protocol_init(st_protocol *p, st_session *s, st_write_fn write, st_clock_fn micros) {
  p->session = s;
  p->write = write;
  p->micros = micros;
  p->runtime = 0;
  p->train_us = 0;
  p->quit = 0;
  st_frame_sink sink = { p, payload_len, run, write };
  st_frame_init(&p->framer, &sink);
}

int st_protocol_feed(st_protocol *p, uint8_t byte) {
  if (!p->quit) st_frame_feed(&p->framer, byte);
  return p->quit;
}

int st_protocol_start(st_protocol *p, st_session *s, const st_engine *e, const st_config *cfg, st_write_fn write, st_clock_fn micros) {
  st_protocol_init(p, s, write, micros);
  int rc = st_session_open(s, e, cfg);
  if (rc != ST_OK) st_protocol_error(p, rc);
  return rc;
}
