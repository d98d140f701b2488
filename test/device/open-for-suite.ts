/** Lifecycle shared by the device contract suites: the factory's array is opened before the suite and closed (and cleaned up) after it. */
import { afterAll, beforeAll } from 'vitest';
import type { MtjArray } from '../../host/device/mtj-array.ts';

/** Call inside a describe block; `bind` hands the fixture to the suite's variables before the array is opened. */
export function openForSuite<F extends { array: MtjArray; cleanup?: () => Promise<void> }>(factory: () => Promise<F>, bind: (fixture: F) => void): void {
  let fx: F | undefined;
  beforeAll(async () => {
    fx = await factory();
    bind(fx);
    await fx.array.open();
  });
  afterAll(async () => {
    if (fx?.array.isOpen) await fx.array.close();
    await fx?.cleanup?.();
  });
}
