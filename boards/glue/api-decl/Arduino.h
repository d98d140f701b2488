/* Declaration-only stand-in for the Arduino core API the port uses, for syntax checks. See README.md. */
#ifndef Arduino_h
#define Arduino_h
#include <stdint.h>
#include <stddef.h>
#define HIGH 1
#define LOW 0
#define OUTPUT 1
#define A0 14
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);
int analogRead(uint8_t pin);
void analogWrite(uint8_t pin, int val);
void analogWriteResolution(int bits);
void analogReadResolution(int bits);
void delayMicroseconds(unsigned int us);
unsigned long micros(void);
unsigned long millis(void);
struct HardwareSerial {
  void begin(unsigned long baud);
  size_t write(const uint8_t *buf, size_t len);
  int available(void);
  int read(void);
  explicit operator bool() const;
};
extern HardwareSerial Serial;
/* Syntax checks build the ESP32 branch of st_port_random32. */
#define ESP32 1
uint32_t esp_random(void);
#endif
