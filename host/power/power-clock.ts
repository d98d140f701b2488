/**
 * The host's time base for a power measurement: trace samples and marker edges are stamped with now() [s],
 * waits use delay(). On hardware the wall clock; with the emulated Uno its emulated time, so a test never
 * sleeps on the wall clock and the stamps share the emulated circuit's time base.
 */
import type { DeviceClock } from '../device/device-clock.ts';
import { wallClock } from '../device/device-clock.ts';

export interface PowerClock extends DeviceClock {
  /** Seconds on this clock (arbitrary origin, monotonic). */
  now(): number;
}

export const wallPowerClock: PowerClock = {
  now: () => performance.now() / 1000,
  delay: wallClock.delay,
};
