/*
 * Board port for the Arduino cores of the WebAssembly boards (ESP32 Arduino, Arduino mbed for the
 * Nano 33 BLE, Arduino-Pico, Teensyduino). Pins and channels come from spintrain_board.h.
 * Hardware random sources (fallback draws): ESP32 esp_random(); nRF52840 RNG peripheral; RP2040
 * ring-oscillator random bit (von Neumann whitened); Teensy 4 TRNG (Entropy library).
 */
#include <Arduino.h>
#include "src/portable/st_port.h"
#include "src/generated/spintrain_board.h"
#if defined(ARDUINO_TEENSY41) || defined(ARDUINO_TEENSY40)
#include <Entropy.h>
#endif

static int mtj_present = -1;

extern "C" void st_port_current_write(uint8_t pin, uint16_t code) { analogWrite(pin, code); }

extern "C" void st_port_pin_pulse(uint8_t pin) {
  digitalWrite(pin, HIGH); /* the one-shot fires on the edge; the pin only needs to return low */
  delayMicroseconds(1);
  digitalWrite(pin, LOW);
}

extern "C" uint16_t st_port_adc_read(uint8_t input) { return (uint16_t)analogRead(input); }

extern "C" void st_port_delay_us(uint32_t us) { delayMicroseconds(us); }

/* Probe: after a reset every junction is P (low voltage); with no board the ADC input floats or sits at 0. */
extern "C" int st_port_mtj_present(void) {
  if (mtj_present < 0) {
#if ST_MTJ_DEVICES > 0
    st_port_pin_pulse(ST_MTJ_RESET_PIN);
    uint16_t v = st_port_adc_read(ST_MTJ_ADC_INPUTS[0]);
    mtj_present = v > ST_MTJ_ADC_PRESENT_MIN && v < ST_MTJ_ADC_THRESHOLD;
#else
    mtj_present = 0;
#endif
  }
  return mtj_present;
}

extern "C" uint32_t st_port_random32(void) {
#if defined(ESP32)
  return esp_random();
#elif defined(ARDUINO_ARCH_MBED_NANO) || defined(NRF52840_XXAA)
  uint32_t r = 0;
  NRF_RNG->CONFIG = 1; /* bias correction */
  for (int i = 0; i < 4; i++) {
    NRF_RNG->EVENTS_VALRDY = 0;
    NRF_RNG->TASKS_START = 1;
    while (!NRF_RNG->EVENTS_VALRDY) {}
    r = (r << 8) | (NRF_RNG->VALUE & 0xff);
  }
  NRF_RNG->TASKS_STOP = 1;
  return r;
#elif defined(ARDUINO_ARCH_RP2040)
  return rp2040.hwrand32();
#elif defined(ARDUINO_TEENSY41) || defined(ARDUINO_TEENSY40)
  return Entropy.random();
#else
#error "no hardware random source for this core: add one to st_port_random32"
#endif
}

extern "C" uint32_t st_port_micros(void) { return (uint32_t)micros(); }

extern "C" void st_port_serial_write(const char *text, uint32_t len) { Serial.write((const uint8_t *)text, len); }

extern "C" int st_port_serial_read(void) { return Serial.available() > 0 ? Serial.read() : -1; }

/* Pin set-up for the MTJ circuit; called from the sketch's setup(). */
extern "C" void st_port_begin(void) {
  Serial.begin(ST_SERIAL_BAUD);
#if ST_MTJ_DEVICES > 0
  analogWriteResolution(ST_MTJ_CURRENT_BITS);
  analogReadResolution(ST_ADC_BITS);
  pinMode(ST_MTJ_PULSE_PIN, OUTPUT);
  pinMode(ST_MTJ_RESET_PIN, OUTPUT);
  for (int d = 0; d < ST_MTJ_DEVICES; d++) st_port_current_write(ST_MTJ_CURRENT_PINS[d], 0);
#endif
#if defined(ST_MTJ_PAIRS) && ST_MTJ_PAIRS > 0
  /* MTJ pairs: same PWM resolution as the write current (spintrain build checks), bias at I = 0 */
  analogWriteResolution(ST_MTJ_PAIR_PWM_BITS);
  analogReadResolution(ST_ADC_BITS);
  for (int p = 0; p < ST_MTJ_PAIRS; p++) {
    for (int t = 0; t < 2; t++) st_port_current_write(ST_MTJ_PAIR_BIAS_PINS[p][t], (uint16_t)((ST_MTJ_PAIR_CODE_MID_Q16 + 32768) >> 16));
  }
#endif
#if defined(ARDUINO_TEENSY41) || defined(ARDUINO_TEENSY40)
  Entropy.Initialize();
#endif
}
