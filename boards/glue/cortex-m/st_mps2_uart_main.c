/*
 * Interactive board main for the MPS2-AN385 (a Cortex-M3; QEMU `-M mps2-an385`): the protocol fed from
 * UART0's receiver, replies on UART0. The board `spintrain board train|pull|eval` drives over a serial
 * port: under QEMU `-serial pty` the UART is a pseudo-terminal the host opens like a real port
 * (test/deploy/board-command.spec.ts). Build: `make mps2-uart` (Makefile), with the board's
 * spintrain_config.h from `spintrain build` (src/generated/). The draws come from the simulated HAL.
 * The CMSDK UART: DATA at 0x40004000, STATE bit 1 = a received byte waits, CTRL bits 0/1 = TX/RX on.
 */
#include <stdint.h>
#include "../portable/st_errors.h"
#include "../portable/st_protocol.h"
#include "../portable/st_port.h"
#include "../runtime/st_wasm2c.h"
#include "spintrain_config.h"

#define UART0_DATA (*(volatile uint32_t *)0x40004000u)
#define UART0_STATE (*(volatile uint32_t *)0x40004004u)
#define UART0_CTRL (*(volatile uint32_t *)0x40004008u)

int main(void) {
  static st_engine engine;
  static st_session session;
  static st_protocol proto;
  st_wasm2c_open(&engine);
  if (st_protocol_start(&proto, &session, &engine, &ST_CONFIG, st_port_serial_write, st_port_micros) != ST_OK) return 1;
  proto.runtime = "wasm2c-cortex-m3";
  UART0_CTRL = 3u; /* TX and RX */
  st_protocol_hello(&proto);
  for (;;) {
    while (!(UART0_STATE & 2u)) {
    }
    if (st_protocol_feed(&proto, (uint8_t)UART0_DATA)) return 0;
  }
}
