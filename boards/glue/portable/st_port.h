/*
 * What a board port provides to the glue (ports/arduino/st_port_arduino.cpp for the Arduino cores of
 * ESP32, Nano 33 BLE, Pico and Teensy; cortex-m/ for the emulated MPS2 board).
 */
#ifndef ST_PORT_H
#define ST_PORT_H
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* MTJ circuit: write-current code (PWM duty or DAC code, 0..2^bits−1) on a pin. */
void st_port_current_write(uint8_t pin, uint16_t code);
/* A rising edge on pin (fires the pulse or reset one-shot). */
void st_port_pin_pulse(uint8_t pin);
/* ADC conversion of an analog input (the core's pin number, ST_MTJ_ADC_INPUTS), 0..2^bits−1. */
uint16_t st_port_adc_read(uint8_t input);
void st_port_delay_us(uint32_t us);
/* 1 when the MTJ daughter board answered the start-up probe, else 0 (use the on-chip random source). */
int st_port_mtj_present(void);
/* 32 uniformly random bits from the chip's hardware generator (the fallback draw source). */
uint32_t st_port_random32(void);
uint32_t st_port_micros(void);
void st_port_serial_write(const char *text, uint32_t len);
/* Next received byte, or −1 when none is waiting. */
int st_port_serial_read(void);

#ifdef __cplusplus
}
#endif
#endif
