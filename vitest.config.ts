import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.spec.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // Generous ceilings, not targets: the hardware-in-the-loop specs run AVR emulation in emulated
    // time, and on a loaded 2-core machine a wall-clock minute is not enough for them.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
