/*
 * The part of a port (portable/st_port.h) for a board with no MTJ daughter board, shared by the sketch test
 * mains (native/st_native_sketch.c, cortex-m/st_mps2_sketch_main.c): st_port_mtj_present() = 0, the MTJ pins
 * and the ADC do nothing, and st_port_random32 is a fixed xorshift32 (Marsaglia 2003: x ^= x << 13;
 * x ^= x >> 17; x ^= x << 5; seed 2463534242), so env.mtj_sample's draws are the same on every build
 * (a --draws prng build never asks). Tests only.
 */
#include <stdint.h>
#include "../portable/st_port.h"

static uint32_t rng = 2463534242u;

void st_port_current_write(uint8_t pin, uint16_t code) { (void)pin; (void)code; }
void st_port_pin_pulse(uint8_t pin) { (void)pin; }
uint16_t st_port_adc_read(uint8_t input) { (void)input; return 0; }
void st_port_delay_us(uint32_t us) { (void)us; }
int st_port_mtj_present(void) { return 0; }
uint32_t st_port_random32(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}
