/*
 * A board port (portable/st_port.h) for host builds of the GPIO HAL (hal/st_hal_gpio.c): the pins of a
 * board's MTJ-pair wiring (spintrain_board.h, ST_MTJ_PAIR_*) connected to simulated twins, so the GPIO
 * HAL's pair path — PWM bias codes, settling, two ADC conversions, units — runs natively end to end.
 * Used by the tests with native/st_native_main.c; not a board port.
 *
 * The circuit, in the header's own units: a bias pin's PWM code c means pre-activation
 * z = (c·2^16 − CODE_MID_Q16)/CODE_PER_UNIT_Q16 (the inverse of the HAL's mapping, so the PWM's
 * quantization is kept); twin (p, t) reads v = g·tanh(z − z0) + 0.05·z + n activation units
 * (pair-iv-model.ts at its defaults: gain CV 2 %, σ(z0) = 0.02, σ(n) = 0.0025), presented to its ADC
 * input as round((v + UNITS_OFFSET)/UNITS_PER_LSB) clamped to the converter's range (its
 * quantization kept too). Mismatch and noise from a generator seeded by st_hal_sim_seed (the name
 * native/st_native_main.c calls). Floating point: this is the host side of the wires, not the board.
 * No MTJ sampling circuit (st_port_mtj_present() = 0): p-GAF draws come from st_port_random32. With a
 * board header without pairs (ST_MTJ_PAIRS 0) nothing is wired: the HAL's pair reads must then fail.
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include "../portable/st_port.h"
#include "spintrain_board.h"

#ifndef ST_MTJ_PAIRS
#define ST_MTJ_PAIRS 0
#endif
#define TWIN_SLOTS (ST_MTJ_PAIRS > 0 ? ST_MTJ_PAIRS : 1)

static uint16_t pin_code[256];
static double gain[TWIN_SLOTS][2], centre[TWIN_SLOTS][2];
static uint64_t rng_state = 1;

static double uniform(void) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return ((double)(rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(double sd) {
  return sd * sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
}

void st_hal_sim_seed(uint32_t seed) {
  rng_state = 0x853c49e6748fea9bull ^ seed;
  for (int p = 0; p < ST_MTJ_PAIRS; p++) {
    for (int t = 0; t < 2; t++) {
      gain[p][t] = 1.0 + normal(0.02);
      centre[p][t] = normal(0.02);
    }
  }
}

void st_port_current_write(uint8_t pin, uint16_t code) { pin_code[pin] = code; }
void st_port_pin_pulse(uint8_t pin) { (void)pin; }
void st_port_delay_us(uint32_t us) { (void)us; }
int st_port_mtj_present(void) { return 0; }
uint32_t st_port_random32(void) { return (uint32_t)(uniform() * 4294967296.0); }
uint32_t st_port_micros(void) { return 0; }
void st_port_serial_write(const char *text, uint32_t len) { fwrite(text, 1, len, stdout); }
int st_port_serial_read(void) { return -1; }

uint16_t st_port_adc_read(uint8_t input) {
#if ST_MTJ_PAIRS > 0
  for (int p = 0; p < ST_MTJ_PAIRS; p++) {
    for (int t = 0; t < 2; t++) {
      if (ST_MTJ_PAIR_ADC_INPUTS[p][t] != input) continue;
      double z = ((double)pin_code[ST_MTJ_PAIR_BIAS_PINS[p][t]] * 65536.0 - (double)ST_MTJ_PAIR_CODE_MID_Q16) / (double)ST_MTJ_PAIR_CODE_PER_UNIT_Q16;
      double v = gain[p][t] * tanh(z - centre[p][t]) + 0.05 * z + normal(0.0025);
      double code = floor((v + ST_MTJ_PAIR_UNITS_OFFSET_Q16 / 65536.0) / (ST_MTJ_PAIR_UNITS_PER_LSB_Q24 / 16777216.0) + 0.5);
      double top = (double)((1u << ST_ADC_BITS) - 1u);
      return (uint16_t)(code < 0 ? 0 : code > top ? top : code);
    }
  }
#else
  (void)input;
#endif
  return 0;
}
