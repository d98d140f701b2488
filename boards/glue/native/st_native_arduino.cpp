/*
 * A host stand-in for the Arduino core, to run the sketch's setup() natively (tests only): millis()
 * advances 1 ms per call, Serial never connects (a board with native USB and no host), and the glue's
 * st_port_begin / st_app_setup / st_app_poll only record that they ran. main() runs setup() once and
 * prints "setup returned at <ms> ms" — a sketch that waits for the host forever never prints it.
 */
#include <stdio.h>
#include "Arduino.h"

static unsigned long now_ms;
unsigned long millis(void) { return now_ms++; }
unsigned long micros(void) { return now_ms * 1000ul; }
HardwareSerial::operator bool() const { return false; }
HardwareSerial Serial;

static int began, set_up;
extern "C" void st_port_begin(void) { began = 1; }
extern "C" int st_app_setup(void) { set_up = 1; return 0; }
extern "C" void st_app_poll(void) {}

void setup();
void loop();

int main() {
  setup();
  printf("setup returned at %lu ms, port begun %d, app set up %d\n", now_ms, began, set_up);
  return 0;
}
