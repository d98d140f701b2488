/*
 * spintrain Uno firmware: protocol constants shared by the firmware sources (boards/firmware/uno/).
 *
 * The firmware speaks a subset of Firmata 2.5 (enough for firmata-io / johnny-five to connect unchanged,
 * see README.md) plus one spintrain sysex command in Firmata's user range:
 *
 * MTJ_SAMPLE (sysex 0x01): draw `count` bits from each junction of `mask` at fixed write currents.
 *
 *   request  F0 01 mask count_lsb count_msb settle_lsb settle_msb [duty_lsb duty_msb] x popcount(mask) F7
 *     mask      bit j (j = 0..3) selects junction j (PWM pin MTJ_PWM_PIN_j, ADC channel A_j); 1..15
 *     count     draws, 14 bits = count_lsb | count_msb << 7; 1..MTJ_MAX_COUNT
 *     settle    RC settling after a duty change in units of 10 us, 14 bits (0..163.83 ms): the host sends its
 *               profile's mtj.current.settleS (90 ms for boards/arduino-uno.ts, 1.6 ms for
 *               boards/arduino-uno-spintrain.ts), so one firmware serves both MTJ boards
 *     duty      PWM duty (write-current code) of each selected junction, ascending j, 14 bits, 0..255
 *               (I = duty/255 * 5 V / 2.5 kOhm on the MTJ board of boards/arduino-uno.ts)
 *
 *   The board sets the duties of the selected junctions (PWM mode); if any duty (or pin mode) changed it
 *   waits `settle` for the RC filter, then resets all junctions once (D4 rising edge) and `count` times:
 *   write pulse (D2 rising edge), ADC conversion of every selected channel in ascending j at a 1 MHz ADC
 *   clock (MTJ_ADC_PRESCALER_BITS, 13 us a conversion: the threshold test needs far less than 10-bit
 *   accuracy), bit = (code >= MTJ_THRESHOLD_CODE), reset (D4 rising edge). The ADC prescaler is restored
 *   afterwards (Firmata's analog reports keep the core's 125 kHz ADC clock).
 *
 *   reply    F0 01 00 mask count_lsb count_msb flags packed... F7
 *     flags     bit 0: the board waited `settle` (a duty changed); bits 1..6: 0
 *     packed    the count * popcount(mask) bits, draw-major (draw 0: junctions in ascending j, draw 1, ...),
 *               7 bits per data byte, LSB first: bit i is (packed[i / 7] >> (i % 7)) & 1;
 *               ceil(count * popcount(mask) / 7) bytes; unused high bits of the last byte are 0
 *
 *   error    F0 01 status F7   (nothing sampled, no pin touched), status = one of MTJ_ERR_* below (1..5)
 *
 * Other Firmata traffic is not served while a request runs (analog reports and I2C reads pause); bytes the
 * host sends meanwhile wait in the 64-byte receive buffer, so send at most 64 bytes before the reply's F7.
 */
#ifndef SPINTRAIN_PROTOCOL_H
#define SPINTRAIN_PROTOCOL_H

#define SPINTRAIN_FIRMWARE_NAME "spintrain"
#define SPINTRAIN_FIRMWARE_MAJOR 0
#define SPINTRAIN_FIRMWARE_MINOR 2
/* Firmata protocol version announced with REPORT_VERSION (as StandardFirmata 2.5). */
#define FIRMATA_PROTOCOL_MAJOR 2
#define FIRMATA_PROTOCOL_MINOR 5

#define MTJ_SAMPLE 0x01

#define MTJ_OK 0x00
/* the request's length does not match its mask (or the sysex exceeded the firmware's buffer) */
#define MTJ_ERR_LENGTH 0x01
/* mask is 0 or selects a junction beyond MTJ_JUNCTIONS */
#define MTJ_ERR_MASK 0x02
/* count is 0 or above MTJ_MAX_COUNT */
#define MTJ_ERR_COUNT 0x03
/* a duty is above 255 */
#define MTJ_ERR_DUTY 0x04
/* the request was cut short by a Firmata command byte before its F7 */
#define MTJ_ERR_INTERRUPTED 0x05

/* Draws per request: bounds the reply to ceil(4096 * 4 / 7) = 2341 data bytes (~0.41 s at 57600 baud). */
#define MTJ_MAX_COUNT 4096

/* Wiring of the MTJ daughter board (boards/arduino-uno.ts). */
#define MTJ_JUNCTIONS 4
#define MTJ_PULSE_PIN 2
#define MTJ_RESET_PIN 4
#define MTJ_PWM_PINS {3, 9, 10, 11}
#define MTJ_ADC_CHANNELS {0, 1, 2, 3}
/* Units of the request's settle field [us]. */
#define MTJ_SETTLE_UNIT_US 10
/*
 * PWM of the MTJ write currents: timers 1 (pins 9, 10) and 2 (pins 3, 11) in 8-bit phase-correct PWM at
 * prescaler 1, f = 16 MHz / 510 = 31.37 kHz (the Arduino core's default is prescaler 64: 490 Hz). A 64x faster
 * PWM lets the MTJ board's filter be 64x faster for the same ripple (boards/arduino-uno-spintrain.ts). Timer 0
 * (millis, pins 5 and 6) is left alone.
 */
#define MTJ_PWM_PRESCALER_BITS 0x01
/* ADC prescaler during MTJ_SAMPLE: ADPS = 0b100, 16 MHz / 16 = 1 MHz ADC clock. */
#define MTJ_ADC_PRESCALER_BITS 0x04
/* Serial baud rate; the build sets it from the profile's runtime.baud (57600 default, as StandardFirmata). */
#ifndef SPINTRAIN_BAUD
#define SPINTRAIN_BAUD 57600
#endif
/* bit = V >= 0.316 V; V = code * 5 V / 1024, so code >= 0.316 * 1024 / 5 = 64.7, i.e. code >= 65 */
#define MTJ_THRESHOLD_CODE 65

#endif
