/*
 * spintrain's own Arduino Uno firmware: a Firmata 2.5 subset written for this project (no Firmata library
 * code), so firmata-io / johnny-five connect to it unchanged, plus the MTJ_SAMPLE sysex command
 * (spintrain_protocol.h) that pulses, reads, thresholds and resets the MTJ daughter board on the board
 * and returns the bits packed 7 per Firmata data byte.
 *
 * Firmata served (protocol: https://github.com/firmata/protocol, messages as firmata-io sends them):
 *   REPORT_VERSION 0xF9 (also sent at start-up), SYSTEM_RESET 0xFF,
 *   DIGITAL_MESSAGE 0x90|port, ANALOG_MESSAGE 0xE0|pin (PWM duty), REPORT_ANALOG 0xC0|ch,
 *   REPORT_DIGITAL 0xD0|port, SET_PIN_MODE 0xF4, SET_DIGITAL_PIN_VALUE 0xF5,
 *   sysex: QUERY_FIRMWARE 0x79 (name "spintrain", also sent at start-up), CAPABILITY_QUERY 0x6B,
 *   ANALOG_MAPPING_QUERY 0x69, PIN_STATE_QUERY 0x6D, SAMPLING_INTERVAL 0x7A, I2C_CONFIG 0x78,
 *   I2C_REQUEST 0x76 (write, read once, continuous read, stop reading; 7-bit addresses) → I2C_REPLY 0x77.
 * Pin modes: INPUT, OUTPUT, ANALOG (A0–A5), PWM (3, 5, 6, 9, 10, 11), I2C (A4, A5), PULLUP.
 * Not served (ignored): servo, EXTENDED_ANALOG, serial, one-wire, stepper, string data.
 *
 * Built by test/harness/uno/build-firmware.ts with Debian's arduino-core-avr (Serial, analogRead,
 * analogWrite, digitalWrite, Wire), avr-gcc and avr-libc; see README.md.
 */
#include <Arduino.h>
#include <Wire.h>

#include "spintrain_protocol.h"

// ---- Firmata message bytes ----
#define DIGITAL_MESSAGE 0x90
#define ANALOG_MESSAGE 0xE0
#define REPORT_ANALOG 0xC0
#define REPORT_DIGITAL 0xD0
#define START_SYSEX 0xF0
#define SET_PIN_MODE 0xF4
#define SET_DIGITAL_PIN_VALUE 0xF5
#define END_SYSEX 0xF7
#define REPORT_VERSION 0xF9
#define SYSTEM_RESET 0xFF
// sysex
#define ANALOG_MAPPING_QUERY 0x69
#define ANALOG_MAPPING_RESPONSE 0x6A
#define CAPABILITY_QUERY 0x6B
#define CAPABILITY_RESPONSE 0x6C
#define PIN_STATE_QUERY 0x6D
#define PIN_STATE_RESPONSE 0x6E
#define I2C_REQUEST 0x76
#define I2C_REPLY 0x77
#define I2C_CONFIG 0x78
#define QUERY_FIRMWARE 0x79
#define SAMPLING_INTERVAL 0x7A
// pin modes
#define MODE_INPUT 0x00
#define MODE_OUTPUT 0x01
#define MODE_ANALOG 0x02
#define MODE_PWM 0x03
#define MODE_I2C 0x06
#define MODE_PULLUP 0x0B
#define CAPABILITY_END 0x7F
// I2C_REQUEST mode byte
#define I2C_MODE_WRITE 0
#define I2C_MODE_READ 1
#define I2C_MODE_CONTINUOUS 2
#define I2C_MODE_STOP 3
#define I2C_10BIT 0x20
#define I2C_RESTART_TX 0x40
#define I2C_NO_REGISTER -1
#define I2C_MAX_QUERIES 8

// ---- the Uno: D0–D13, A0–A5 as D14–D19; D0/D1 carry the serial link ----
#define TOTAL_PINS 20
#define TOTAL_PORTS 3
#define ANALOG_BASE 14
#define ANALOG_CHANNELS 6
#define SYSEX_MAX 64

static inline bool isDigitalPin(uint8_t p) { return p >= 2 && p < TOTAL_PINS; }
static inline bool isAnalogPin(uint8_t p) { return p >= ANALOG_BASE && p < TOTAL_PINS; }
static inline bool isPwmPin(uint8_t p) { return p == 3 || p == 5 || p == 6 || p == 9 || p == 10 || p == 11; }
static inline bool isI2cPin(uint8_t p) { return p == 18 || p == 19; }

static uint8_t pinModes[TOTAL_PINS];
static uint16_t pinStates[TOTAL_PINS];
static uint8_t portReporting[TOTAL_PORTS];
static uint8_t portLastSent[TOTAL_PORTS];
static uint8_t analogReporting;  // bit per channel
static uint16_t samplingMs = 19;
static unsigned long lastSampleMs;

struct I2cQuery {
  uint8_t address;
  int16_t reg;
  uint8_t bytes;
  bool stopTx;
};
static I2cQuery i2cQueries[I2C_MAX_QUERIES];
static uint8_t i2cQueryCount;
static bool i2cEnabled;
static uint16_t i2cReadDelayUs;

// ---- input parser ----
static uint8_t pendingCommand;
static uint8_t pendingNeed;
static uint8_t pendingHave;
static uint8_t pendingData[2];
static bool inSysex;
static bool sysexOverflow;
static uint8_t sysexLen;
static uint8_t sysexBuf[SYSEX_MAX];

static const uint8_t mtjPwmPins[MTJ_JUNCTIONS] = MTJ_PWM_PINS;
static const uint8_t mtjAdcChannels[MTJ_JUNCTIONS] = MTJ_ADC_CHANNELS;

// ---- output helpers ----
static inline void put(uint8_t b) { Serial.write(b); }
static inline void put14(uint16_t v) {
  put(v & 0x7F);
  put((v >> 7) & 0x7F);
}

static void sendVersion() {
  put(REPORT_VERSION);
  put(FIRMATA_PROTOCOL_MAJOR);
  put(FIRMATA_PROTOCOL_MINOR);
}

static void sendFirmware() {
  static const char name[] = SPINTRAIN_FIRMWARE_NAME;
  put(START_SYSEX);
  put(QUERY_FIRMWARE);
  put(SPINTRAIN_FIRMWARE_MAJOR);
  put(SPINTRAIN_FIRMWARE_MINOR);
  for (const char *c = name; *c; c++) put14((uint8_t)*c);
  put(END_SYSEX);
}

static void sendAnalog(uint8_t ch, uint16_t value) {
  put(ANALOG_MESSAGE | (ch & 0x0F));
  put14(value);
}

static uint8_t readPort(uint8_t port) {
  uint8_t v = 0;
  for (uint8_t i = 0; i < 8; i++) {
    uint8_t pin = port * 8 + i;
    if (pin >= TOTAL_PINS) break;
    if ((pinModes[pin] == MODE_INPUT || pinModes[pin] == MODE_PULLUP) && digitalRead(pin)) v |= 1 << i;
  }
  return v;
}

static void sendPort(uint8_t port, uint8_t value) {
  put(DIGITAL_MESSAGE | port);
  put14(value);
  portLastSent[port] = value;
}

// ---- pins ----
static void setPinMode(uint8_t pin, uint8_t mode) {
  if (!isDigitalPin(pin)) return;
  if (pinModes[pin] == MODE_PWM && mode != MODE_PWM) digitalWrite(pin, LOW);  // stops the PWM
  switch (mode) {
    case MODE_INPUT:
      pinMode(pin, INPUT);
      pinStates[pin] = 0;
      break;
    case MODE_PULLUP:
      pinMode(pin, INPUT_PULLUP);
      pinStates[pin] = 1;
      break;
    case MODE_OUTPUT:
      pinMode(pin, OUTPUT);
      digitalWrite(pin, pinStates[pin] ? HIGH : LOW);
      break;
    case MODE_ANALOG:
      if (!isAnalogPin(pin)) return;
      pinMode(pin, INPUT);  // no pull-up
      pinStates[pin] = 0;
      break;
    case MODE_PWM:
      if (!isPwmPin(pin)) return;
      pinMode(pin, OUTPUT);
      analogWrite(pin, pinStates[pin] > 255 ? 255 : pinStates[pin]);
      break;
    case MODE_I2C:
      if (!isI2cPin(pin)) return;
      break;
    default:
      return;  // unsupported mode: ignored
  }
  pinModes[pin] = mode;
}

static void writeDigitalPort(uint8_t port, uint8_t value) {
  for (uint8_t i = 0; i < 8; i++) {
    uint8_t pin = port * 8 + i;
    if (pin >= TOTAL_PINS) break;
    if (pinModes[pin] != MODE_OUTPUT) continue;
    uint8_t bit = (value >> i) & 1;
    pinStates[pin] = bit;
    digitalWrite(pin, bit ? HIGH : LOW);
  }
}

static void setDigitalPin(uint8_t pin, uint8_t value) {
  if (!isDigitalPin(pin) || pinModes[pin] != MODE_OUTPUT) return;
  pinStates[pin] = value ? 1 : 0;
  digitalWrite(pin, value ? HIGH : LOW);
}

static void setPwm(uint8_t pin, uint16_t value) {
  if (pin >= TOTAL_PINS || pinModes[pin] != MODE_PWM) return;
  if (value > 255) value = 255;
  pinStates[pin] = value;
  analogWrite(pin, value);
}

static void reportAnalog(uint8_t ch, uint8_t on) {
  if (ch >= ANALOG_CHANNELS) return;
  if (on) {
    analogReporting |= 1 << ch;
    sendAnalog(ch, analogRead(ch));
  } else {
    analogReporting &= ~(1 << ch);
  }
}

static void reportDigital(uint8_t port, uint8_t on) {
  if (port >= TOTAL_PORTS) return;
  portReporting[port] = on ? 1 : 0;
  if (on) sendPort(port, readPort(port));
}

static void systemReset() {
  pendingNeed = 0;
  inSysex = false;
  analogReporting = 0;
  i2cQueryCount = 0;
  for (uint8_t p = 0; p < TOTAL_PORTS; p++) portReporting[p] = portLastSent[p] = 0;
  for (uint8_t pin = 2; pin < TOTAL_PINS; pin++) {
    pinStates[pin] = 0;
    if (isAnalogPin(pin)) {
      pinModes[pin] = MODE_INPUT;
      setPinMode(pin, MODE_ANALOG);
    } else {
      pinModes[pin] = MODE_INPUT;
      setPinMode(pin, MODE_OUTPUT);
    }
  }
  samplingMs = 19;
}

// ---- sysex: queries ----
static void sendCapabilities() {
  put(START_SYSEX);
  put(CAPABILITY_RESPONSE);
  for (uint8_t pin = 0; pin < TOTAL_PINS; pin++) {
    if (isDigitalPin(pin)) {
      put(MODE_INPUT), put(1);
      put(MODE_PULLUP), put(1);
      put(MODE_OUTPUT), put(1);
    }
    if (isAnalogPin(pin)) put(MODE_ANALOG), put(10);
    if (isPwmPin(pin)) put(MODE_PWM), put(8);
    if (isI2cPin(pin)) put(MODE_I2C), put(1);
    put(CAPABILITY_END);
  }
  put(END_SYSEX);
}

static void sendAnalogMapping() {
  put(START_SYSEX);
  put(ANALOG_MAPPING_RESPONSE);
  for (uint8_t pin = 0; pin < TOTAL_PINS; pin++) put(isAnalogPin(pin) ? pin - ANALOG_BASE : 0x7F);
  put(END_SYSEX);
}

static void sendPinState(uint8_t pin) {
  if (pin >= TOTAL_PINS) return;
  uint16_t state = pinStates[pin];
  if (pinModes[pin] == MODE_INPUT || pinModes[pin] == MODE_PULLUP) state = pinModes[pin] == MODE_PULLUP;
  put(START_SYSEX);
  put(PIN_STATE_RESPONSE);
  put(pin);
  put(pinModes[pin]);
  put(state & 0x7F);
  if (state > 0x7F) put((state >> 7) & 0x7F);
  put(END_SYSEX);
}

// ---- sysex: I2C ----
static void i2cReadAndReport(uint8_t address, int16_t reg, uint8_t bytes, bool stopTx) {
  if (reg != I2C_NO_REGISTER) {
    Wire.beginTransmission(address);
    Wire.write((uint8_t)reg);
    Wire.endTransmission(stopTx);
    if (i2cReadDelayUs > 0) delayMicroseconds(i2cReadDelayUs);
  }
  if (bytes > BUFFER_LENGTH) bytes = BUFFER_LENGTH;
  Wire.requestFrom(address, bytes);
  uint16_t r = reg == I2C_NO_REGISTER ? 0 : (uint16_t)reg;
  put(START_SYSEX);
  put(I2C_REPLY);
  put14(address);
  put14(r);
  while (Wire.available()) put14(Wire.read());
  put(END_SYSEX);
}

static void i2cRequest(const uint8_t *d, uint8_t n) {
  if (n < 2 || !i2cEnabled) return;
  uint8_t address = d[0];
  uint8_t mode = (d[1] >> 3) & 0x03;
  bool stopTx = !(d[1] & I2C_RESTART_TX);
  if (d[1] & I2C_10BIT) return;  // 10-bit addresses: not served
  switch (mode) {
    case I2C_MODE_WRITE:
      Wire.beginTransmission(address);
      for (uint8_t i = 2; i + 1 < n; i += 2) Wire.write((uint8_t)(d[i] | (d[i + 1] << 7)));
      Wire.endTransmission();
      delayMicroseconds(70);
      break;
    case I2C_MODE_READ:
    case I2C_MODE_CONTINUOUS: {
      int16_t reg;
      uint16_t bytes;
      if (n >= 6) {
        reg = d[2] | (d[3] << 7);
        bytes = d[4] | (d[5] << 7);
      } else if (n >= 4) {
        reg = I2C_NO_REGISTER;
        bytes = d[2] | (d[3] << 7);
      } else {
        return;
      }
      if (bytes > BUFFER_LENGTH) bytes = BUFFER_LENGTH;
      if (mode == I2C_MODE_READ) {
        i2cReadAndReport(address, reg, bytes, stopTx);
      } else if (i2cQueryCount < I2C_MAX_QUERIES) {
        I2cQuery &q = i2cQueries[i2cQueryCount++];
        q.address = address;
        q.reg = reg;
        q.bytes = bytes;
        q.stopTx = stopTx;
      }
      break;
    }
    case I2C_MODE_STOP:
      for (uint8_t i = 0; i < i2cQueryCount; i++) {
        if (i2cQueries[i].address != address) continue;
        for (uint8_t k = i + 1; k < i2cQueryCount; k++) i2cQueries[k - 1] = i2cQueries[k];
        i2cQueryCount--;
        break;  // one query per STOP, as StandardFirmata
      }
      break;
  }
}

static void i2cConfig(const uint8_t *d, uint8_t n) {
  i2cReadDelayUs = n >= 2 ? (d[0] | (d[1] << 7)) : 0;
  if (!i2cEnabled) {
    Wire.begin();
    i2cEnabled = true;
  }
  pinModes[18] = pinModes[19] = MODE_I2C;
}

// ---- sysex: MTJ_SAMPLE ----
static void mtjError(uint8_t status) {
  put(START_SYSEX);
  put(MTJ_SAMPLE);
  put(status);
  put(END_SYSEX);
}

static inline void risingEdge(uint8_t pin) {
  digitalWrite(pin, HIGH);
  digitalWrite(pin, LOW);
}

static void mtjSample(const uint8_t *d, uint8_t n, bool overflow) {
  if (overflow || n < 5) return mtjError(MTJ_ERR_LENGTH);
  uint8_t mask = d[0];
  if (mask == 0 || (mask >> MTJ_JUNCTIONS)) return mtjError(MTJ_ERR_MASK);
  uint8_t selected = 0;
  for (uint8_t j = 0; j < MTJ_JUNCTIONS; j++) selected += (mask >> j) & 1;
  if (n != 5 + 2 * selected) return mtjError(MTJ_ERR_LENGTH);
  uint16_t count = d[1] | (d[2] << 7);
  if (count == 0 || count > MTJ_MAX_COUNT) return mtjError(MTJ_ERR_COUNT);
  uint32_t settleUs = (uint32_t)(d[3] | (d[4] << 7)) * MTJ_SETTLE_UNIT_US;
  uint16_t duty[MTJ_JUNCTIONS];
  for (uint8_t j = 0, k = 0; j < MTJ_JUNCTIONS; j++) {
    if (!((mask >> j) & 1)) continue;
    duty[j] = d[5 + 2 * k] | (d[6 + 2 * k] << 7);
    k++;
    if (duty[j] > 255) return mtjError(MTJ_ERR_DUTY);
  }
  // Drive currents: wait for the RC filter only when a duty (or the pin's mode) changed.
  bool changed = false;
  for (uint8_t j = 0; j < MTJ_JUNCTIONS; j++) {
    if (!((mask >> j) & 1)) continue;
    uint8_t pin = mtjPwmPins[j];
    if (pinModes[pin] != MODE_PWM || pinStates[pin] != duty[j]) {
      changed = true;
      pinStates[pin] = duty[j];
      setPinMode(pin, MODE_PWM);  // analogWrite(pin, duty)
    }
  }
  static const uint8_t lines[2] = {MTJ_PULSE_PIN, MTJ_RESET_PIN};
  for (uint8_t i = 0; i < 2; i++) {
    uint8_t pin = lines[i];
    if (pinModes[pin] != MODE_OUTPUT) setPinMode(pin, MODE_OUTPUT);
    pinStates[pin] = 0;
    digitalWrite(pin, LOW);
  }
  if (changed) {
    delay(settleUs / 1000);
    delayMicroseconds(settleUs % 1000);
  }

  put(START_SYSEX);
  put(MTJ_SAMPLE);
  put(MTJ_OK);
  put(mask);
  put14(count);
  put(changed ? 1 : 0);
  uint8_t adcsra = ADCSRA;
  ADCSRA = (adcsra & ~0x07) | MTJ_ADC_PRESCALER_BITS;
  risingEdge(MTJ_RESET_PIN);  // every junction to P before the first draw
  uint8_t acc = 0, nbits = 0;
  for (uint16_t k = 0; k < count; k++) {
    risingEdge(MTJ_PULSE_PIN);
    for (uint8_t j = 0; j < MTJ_JUNCTIONS; j++) {
      if (!((mask >> j) & 1)) continue;
      if (analogRead(mtjAdcChannels[j]) >= MTJ_THRESHOLD_CODE) acc |= 1 << nbits;
      if (++nbits == 7) {
        put(acc);
        acc = 0;
        nbits = 0;
      }
    }
    risingEdge(MTJ_RESET_PIN);
  }
  ADCSRA = adcsra;
  if (nbits) put(acc);
  put(END_SYSEX);
}

// ---- dispatch ----
static void handleSysex(bool overflow) {
  if (sysexLen == 0) return;
  const uint8_t *d = sysexBuf + 1;
  uint8_t n = sysexLen - 1;
  switch (sysexBuf[0]) {
    case MTJ_SAMPLE:
      mtjSample(d, n, overflow);
      break;
    case QUERY_FIRMWARE:
      sendFirmware();
      break;
    case CAPABILITY_QUERY:
      sendCapabilities();
      break;
    case ANALOG_MAPPING_QUERY:
      sendAnalogMapping();
      break;
    case PIN_STATE_QUERY:
      if (n >= 1) sendPinState(d[0]);
      break;
    case SAMPLING_INTERVAL:
      if (n >= 2) {
        samplingMs = d[0] | (d[1] << 7);
        if (samplingMs < 1) samplingMs = 1;
      }
      break;
    case I2C_CONFIG:
      if (!overflow) i2cConfig(d, n);
      break;
    case I2C_REQUEST:
      if (!overflow) i2cRequest(d, n);
      break;
    default:
      break;  // unknown sysex: ignored, as StandardFirmata does
  }
}

static void execute(uint8_t command) {
  uint8_t low = command & 0x0F;
  uint16_t v14 = pendingData[0] | (pendingData[1] << 7);
  switch (command < 0xF0 ? command & 0xF0 : command) {
    case DIGITAL_MESSAGE:
      if (low < TOTAL_PORTS) writeDigitalPort(low, v14 & 0xFF);
      break;
    case ANALOG_MESSAGE:
      setPwm(low, v14);
      break;
    case REPORT_ANALOG:
      reportAnalog(low, pendingData[0]);
      break;
    case REPORT_DIGITAL:
      reportDigital(low, pendingData[0]);
      break;
    case SET_PIN_MODE:
      setPinMode(pendingData[0], pendingData[1]);
      break;
    case SET_DIGITAL_PIN_VALUE:
      setDigitalPin(pendingData[0], pendingData[1]);
      break;
  }
}

static void processByte(uint8_t b) {
  if (inSysex) {
    if (b == END_SYSEX) {
      inSysex = false;
      handleSysex(sysexOverflow);
      return;
    }
    if (!(b & 0x80)) {
      if (sysexLen < SYSEX_MAX) sysexBuf[sysexLen++] = b;
      else sysexOverflow = true;
      return;
    }
    // A command byte inside a sysex: the sysex is abandoned and the byte starts a new command.
    inSysex = false;
    if (sysexLen > 0 && sysexBuf[0] == MTJ_SAMPLE) mtjError(MTJ_ERR_INTERRUPTED);
  }
  if (!(b & 0x80)) {
    if (pendingNeed == 0) return;  // stray data byte
    pendingData[pendingHave++] = b;
    if (pendingHave == pendingNeed) {
      pendingNeed = 0;
      execute(pendingCommand);
    }
    return;
  }
  pendingNeed = 0;
  pendingHave = 0;
  pendingCommand = b;
  switch (b < 0xF0 ? b & 0xF0 : b) {
    case DIGITAL_MESSAGE:
    case ANALOG_MESSAGE:
    case SET_PIN_MODE:
    case SET_DIGITAL_PIN_VALUE:
      pendingNeed = 2;
      break;
    case REPORT_ANALOG:
    case REPORT_DIGITAL:
      pendingNeed = 1;
      break;
    case START_SYSEX:
      inSysex = true;
      sysexOverflow = false;
      sysexLen = 0;
      break;
    case REPORT_VERSION:
      sendVersion();
      break;
    case SYSTEM_RESET:
      systemReset();
      break;
  }
}

void setup() {
  // The PWM timers of the MTJ currents (timer 1: pins 9, 10; timer 2: pins 3, 11) start from 0 counting up, as
  // after a power-on reset. (avr8js's timer reset leaves the phase-correct counters counting down, so timer 1
  // would run down from 0xFFFF for 0.26 s with no PWM on its pins; writing TCNT restarts it counting up.)
  TCNT1 = 0;
  TCNT2 = 0;
  TCCR1B = (TCCR1B & ~0x07) | MTJ_PWM_PRESCALER_BITS;
  TCCR2B = (TCCR2B & ~0x07) | MTJ_PWM_PRESCALER_BITS;
  Serial.begin(SPINTRAIN_BAUD);
  systemReset();
  sendVersion();
  sendFirmware();
  lastSampleMs = millis();
}

void loop() {
  while (Serial.available() > 0) processByte(Serial.read());
  for (uint8_t port = 0; port < TOTAL_PORTS; port++) {
    if (!portReporting[port]) continue;
    uint8_t v = readPort(port);
    if (v != portLastSent[port]) sendPort(port, v);
  }
  unsigned long now = millis();
  if (now - lastSampleMs >= samplingMs) {
    lastSampleMs += samplingMs;
    if (now - lastSampleMs >= samplingMs) lastSampleMs = now;  // fell behind (e.g. a long MTJ_SAMPLE): no burst
    for (uint8_t ch = 0; ch < ANALOG_CHANNELS; ch++) {
      if (analogReporting & (1 << ch)) sendAnalog(ch, analogRead(ch));
    }
    for (uint8_t i = 0; i < i2cQueryCount; i++) {
      i2cReadAndReport(i2cQueries[i].address, i2cQueries[i].reg, i2cQueries[i].bytes, i2cQueries[i].stopTx);
    }
  }
}
