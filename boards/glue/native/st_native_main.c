/*
 * Host build of the board firmware (wasm2c translation + portable glue + simulated MTJ HAL): speaks
 * the serial protocol (portable/st_protocol.h) on stdin/stdout, so tests stream data exactly as a
 * host streams it to a board, at once (runNative) or frame by frame with ACKs (frame-link.ts).
 *   st-native [weights.stw] [--hal-seed N]
 * The configuration is compiled in (spintrain_config.h from `spintrain build` or the tests).
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../portable/st_errors.h"
#include "../portable/st_protocol.h"
#include "../runtime/st_wasm2c.h"
#include "spintrain_config.h"

void st_hal_sim_seed(uint32_t seed);

static void write_stdout(const char *text, uint32_t len) { fwrite(text, 1, len, stdout); }

static uint32_t micros(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint32_t)((uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u);
}

static int load_file(const char *path, uint8_t **data, uint32_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  *data = (uint8_t *)malloc(n > 0 ? (size_t)n : 1);
  *len = (uint32_t)fread(*data, 1, (size_t)n, f);
  fclose(f);
  return 0;
}

int main(int argc, char **argv) {
  const char *weights = NULL;
  uint32_t hal_seed = 1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--hal-seed") == 0 && i + 1 < argc) hal_seed = (uint32_t)strtoul(argv[++i], NULL, 10);
    else weights = argv[i];
  }
  st_hal_sim_seed(hal_seed);
  static st_engine engine;
  static st_session session;
  static st_protocol proto;
  st_wasm2c_open(&engine);
  st_protocol_init(&proto, &session, write_stdout, micros);
  int rc = st_session_open(&session, &engine, &ST_CONFIG);
  if (rc == ST_OK && weights) {
    uint8_t *data;
    uint32_t len;
    if (load_file(weights, &data, &len) != 0) {
      fprintf(stdout, "! 0 %s: cannot read\n", weights);
      return 2;
    }
    rc = st_session_load_weights(&session, data, len);
    free(data);
  }
  if (rc != ST_OK) {
    st_protocol_error(&proto, rc);
    return 1;
  }
  st_protocol_hello(&proto); /* "ready wasm2c <linear bytes> draws <source>" */
  fflush(stdout);
  /* Reads what has arrived and answers it: an interactive host (host/deploy/frame-link.ts) waits for the
   * ACKs, so the replies are flushed after every chunk read. */
  static uint8_t chunk[4096];
  ssize_t n;
  int quit = 0;
  while (!quit && (n = read(0, chunk, sizeof chunk)) > 0) {
    for (ssize_t i = 0; i < n && !quit; i++) quit = st_protocol_feed(&proto, chunk[i]);
    fflush(stdout);
  }
  fflush(stdout);
  return 0;
}
