/**
 * The time base a hardware driver waits on (settling, timeouts). Real boards use the wall clock;
 * the emulated board passes its emulated clock, so tests never sleep on the wall clock.
 */
export interface DeviceClock {
  /** Resolves after `seconds` [s] of this clock's time. */
  delay(seconds: number): Promise<void>;
}

export const wallClock: DeviceClock = {
  delay: (seconds) => new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000)).unref?.()),
};
