/*
 * Serial training protocol (host → board, binary; board → host, text lines):
 *   'S' label:u8 x:u8[n0]   train one sample                     (no reply: the host streams)
 *   'P' x:u8[n0]            predict                              → "p <class>"
 *   'E' epoch:u16le         start an epoch (learning-rate decay)  → "e <epoch>"
 *   'R'                     report since the last 'E'            → "r <steps> <correct> <train_us>"
 *   'W'                     dump weights and biases              → "t W<l> <count> <hex i32 …>" per tensor, then "w"
 *   'Q'                     quit                                 → "q"
 * Errors: "! <code> <message>". Fed one byte at a time (st_protocol_feed), so any UART driver fits.
 */
#ifndef ST_PROTOCOL_H
#define ST_PROTOCOL_H
#include <stdint.h>
#include "st_session.h"

/* Line output: the port provides it (UART, USB CDC, stdout). */
typedef void (*st_write_fn)(const char *text, uint32_t len);
/* Microsecond clock for the train-time report (0 where none). */
typedef uint32_t (*st_clock_fn)(void);

#define ST_PROTOCOL_MAX_INPUTS 1024

typedef struct {
  st_session *session;
  st_write_fn write;
  st_clock_fn micros;
  uint8_t cmd;
  uint32_t need, have;
  uint8_t buf[2 + ST_PROTOCOL_MAX_INPUTS];
  uint32_t train_us;
  int quit;
} st_protocol;

void st_protocol_init(st_protocol *p, st_session *s, st_write_fn write, st_clock_fn micros);
/* Returns 1 after 'Q', else 0. */
int st_protocol_feed(st_protocol *p, uint8_t byte);
void st_protocol_error(st_protocol *p, int code);

#endif
