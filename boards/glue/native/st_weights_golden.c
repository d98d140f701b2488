/*
 * Tests only: walks a weights file with portable/st_weights.c as a board does and prints what it read, so
 * test/deploy/narrow-board.spec.ts compares it with the host's decodeWeights (host/io/weights-file.ts).
 *   st-weights-golden FILE n0 n1 … nL     (the layout the board's st_config holds)
 * Output: per tensor "t <name> <bits> <frac_bits> <count> <value …>" (values sign-extended from bits, decimal),
 * then "ok"; or "err <code>" (ST_ERR_WEIGHTS_*) when the walk refuses the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include "st_weights.h"
#include "st_errors.h"

static int print_tensor(void *user, const char *name, uint8_t name_len, const uint8_t *d, uint32_t count, uint8_t bits, uint8_t frac_bits) {
  (void)user;
  printf("t %.*s %u %u %u", (int)name_len, name, bits, frac_bits, count);
  for (uint32_t i = 0; i < count; i++) {
    int32_t v;
    if (bits == 32) v = (int32_t)((uint32_t)d[4 * i] | ((uint32_t)d[4 * i + 1] << 8) | ((uint32_t)d[4 * i + 2] << 16) | ((uint32_t)d[4 * i + 3] << 24));
    else if (bits == 16) v = (int16_t)(uint16_t)((uint32_t)d[2 * i] | ((uint32_t)d[2 * i + 1] << 8));
    else v = (int8_t)d[i];
    printf(" %d", (int)v);
  }
  printf("\n");
  return ST_OK;
}

int main(int argc, char **argv) {
  if (argc < 3 || argc - 2 > ST_MAX_LAYERS) { fprintf(stderr, "usage: st-weights-golden FILE n0 … nL\n"); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 2; }
  static uint8_t buf[1 << 22];
  uint32_t len = (uint32_t)fread(buf, 1, sizeof buf, f);
  fclose(f);
  st_config cfg = { 0 };
  cfg.layers = (uint8_t)(argc - 2);
  for (int k = 0; k < cfg.layers; k++) cfg.layout[k] = atoi(argv[2 + k]);
  int rc = st_weights_walk(buf, len, &cfg, print_tensor, 0);
  if (rc != ST_OK) { printf("err %d\n", rc); return 0; }
  printf("ok\n");
  return 0;
}
