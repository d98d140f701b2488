/*
 * st_frame: host → board framing, acknowledgement and resynchronisation of the serial protocol
 * (st_protocol.h). Every command travels as one frame:
 *   cmd:u8  seq:u8  len:u16le  payload:u8[len]  crc:u16le          (6 + len bytes)
 *   cmd: the command letter ('S', 'P', 'E', 'R', 'W', 'Q', 'H'), also the start byte the receiver hunts for;
 *   seq: the frame's sequence number (mod 256), one per frame, in sending order, starting at 0;
 *   len: payload bytes, which must equal the command's fixed payload length (a cheap first check);
 *   crc: CRC-16/CCITT-FALSE (st_crc16.h) over cmd, seq, len and payload.
 * Receiver (board), fed one byte at a time; `expect` is the seq of the next new frame:
 *   - a byte that is no command letter where a frame should start is skipped (hunting);
 *   - a wrong len drops the candidate silently: hunt again from the byte after its start byte;
 *   - a CRC mismatch: reply "n <expect> crc" (NAK) and hunt again from the byte after its start byte, over
 *     the bytes already buffered too (a dropped byte makes a frame swallow the next one's first bytes);
 *   - a good frame with seq = expect: reply "a <seq>" (ACK), hand it to the protocol, expect + 1;
 *   - a good frame 1..128 behind expect (a resend of a frame already taken): "a <seq>" again, not run twice;
 *   - a good frame ahead of expect (one before it was lost): "n <expect> order", dropped;
 *   - a header whose len is right but exceeds ST_FRAME_MAX_PAYLOAD (more than 1,024 inputs): "n <expect> size".
 * Sender (host, host/deploy/frame-link.ts): go-back-N — at most a window of unacknowledged frames in
 * flight; on a NAK, or no ACK within a timeout, resend from the oldest unacknowledged frame.
 * Memory: one frame buffer, ST_FRAME_MAX bytes.
 */
#ifndef ST_FRAME_H
#define ST_FRAME_H
#include <stdint.h>

#define ST_FRAME_HEADER 4u   /* cmd, seq, len:u16le */
#define ST_FRAME_TRAILER 2u  /* crc:u16le           */
#ifndef ST_FRAME_MAX_PAYLOAD
#define ST_FRAME_MAX_PAYLOAD (1u + 1024u) /* 'S': label + ST_PROTOCOL_MAX_INPUTS features */
#endif
#define ST_FRAME_MAX (ST_FRAME_HEADER + ST_FRAME_MAX_PAYLOAD + ST_FRAME_TRAILER)

typedef struct {
  void *ctx;
  /* Payload bytes command `cmd` carries, or −1 when cmd is no command letter. */
  int32_t (*payload_len)(void *ctx, uint8_t cmd);
  /* A new frame, in order, after its ACK was written. */
  void (*frame)(void *ctx, uint8_t cmd, const uint8_t *payload, uint32_t len);
  /* One reply line ("a 12\n", "n 12 crc\n"). */
  void (*write)(const char *text, uint32_t len);
} st_frame_sink;

typedef struct {
  st_frame_sink sink;
  uint8_t buf[ST_FRAME_MAX];
  uint32_t have;          /* bytes buffered from a candidate start byte on */
  uint8_t expect;         /* seq of the next new frame */
  uint32_t frames;        /* new frames taken */
  uint32_t crc_errors;    /* candidates that failed the CRC (NAKed) */
  uint32_t out_of_order;  /* good frames ahead of expect (NAKed) */
  uint32_t duplicates;    /* good frames already taken (re-ACKed) */
} st_framer;

void st_frame_init(st_framer *f, const st_frame_sink *sink);
void st_frame_feed(st_framer *f, uint8_t byte);

/* Writes v in decimal at `at` (no terminator); returns the end. Shared by the frame and protocol replies. */
char *st_utoa10(char *at, uint32_t v);

#endif
