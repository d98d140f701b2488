/*
 * Serial training protocol (host → board, binary frames; board → host, text lines). Every command is
 * one frame with a sequence number, length and CRC-16, answered "a <seq>" (ACK) before its reply, or
 * "n <seq expected> crc|order" (NAK) when it arrived damaged or out of order (st_frame.h: framing,
 * acknowledgement, resynchronisation). Commands and their payloads:
 *   'S' label:u8 x:u8[n0]   train one sample                     (no reply beyond the ACK)
 *   'P' x:u8[n0]            predict                              → "p <class>"
 *   'E' epoch:u16le         start an epoch (learning-rate decay)  → "e <epoch>"
 *   'R'                     report since the last 'E'            → "r <steps> <correct> <train_us>"
 *   'W'                     dump weights and biases              → "t W<l> <count> <hex i32 …>" per tensor, then "w"
 *   'H'                     hello again (a host that connected late) → the banner below
 *   'Q'                     quit                                 → "q"
 * Banner, at start and on 'H': "ready <runtime> <linear bytes> draws <source>", source where the
 * p-GAF draws (or pair reads) come from (st_mtj.h, st_draw_source): module-prng, sim, mtj, mtj-pairs,
 * chip-rng (no MTJ circuit), chip-rng-probe-failed (the daughter board did not answer: the board runs
 * on its hardware random generator instead of the MTJs), none (pair algorithm without pairs).
 * Errors: "! <code> <message>". Fed one byte at a time (st_protocol_feed), so any UART driver fits.
 */
#ifndef ST_PROTOCOL_H
#define ST_PROTOCOL_H
#include <stdint.h>
#include "st_session.h"
#include "st_frame.h"

/* Line output: the port provides it (UART, USB CDC, stdout). */
typedef void (*st_write_fn)(const char *text, uint32_t len);
/* Microsecond clock for the train-time report (0 where none). */
typedef uint32_t (*st_clock_fn)(void);

#define ST_PROTOCOL_MAX_INPUTS (ST_FRAME_MAX_PAYLOAD - 1u) /* n0 the frames carry: 1,024 */

typedef struct {
  st_session *session;
  st_write_fn write;
  st_clock_fn micros;
  const char *runtime;    /* banner name; 0 = the engine's (session->engine->runtime) */
  st_framer framer;
  uint32_t train_us;
  int quit;
} st_protocol;

void st_protocol_init(st_protocol *p, st_session *s, st_write_fn write, st_clock_fn micros);
/* Returns 1 after 'Q', else 0. */
int st_protocol_feed(st_protocol *p, uint8_t byte);
void st_protocol_error(st_protocol *p, int code);
/* A board's start: st_protocol_init, then st_session_open on an opened engine. Returns ST_OK, or the
 * error, already reported on the line ("! <code> <message>"). The board's mains share it. */
int st_protocol_start(st_protocol *p, st_session *s, const st_engine *e, const st_config *cfg, st_write_fn write, st_clock_fn micros);
/* The banner "ready <runtime> <linear bytes> draws <source>" (after st_session_open). */
void st_protocol_hello(st_protocol *p);

#endif
