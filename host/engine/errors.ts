/**
 * The engine's compact error codes (assembly/errors.ts) as typed errors, and the host's one error of
 * its own: a synchronous call that met an asynchronous draw source (AsyncSourceError).
 */
export const ENGINE_ERRORS: Record<number, string> = {
  [-1]: 'layer count outside 3..6 (inputs, 1 to 4 hidden layers, outputs)',
  [-2]: 'a layer width outside 1..8192',
  [-3]: 'unknown activation, output, algorithm or bit-source id, or momentum ≥ 1',
  [-4]: 'the memory plan does not fit the module memory from its base',
  [-5]: 'the memory plan has not been placed (scheduleTrainingMemory)',
  [-6]: 'layer index out of range',
  [-7]: 'the module cannot run this loop itself while the host fills its draw buffer (source 2); the host steps through the samples instead',
  [-8]: 'plan base not 8-byte aligned or inside the module static data',
  [-9]: 'deep module: a node’s output would be empty or too large, or a skip joins tensors of different sizes',
};

export class EngineError extends Error {
  constructor(
    readonly call: string,
    readonly code: number,
  ) {
    super(`engine ${call}: ${ENGINE_ERRORS[code] ?? 'unknown error'} (code ${code})`);
    this.name = 'EngineError';
  }
}

/** Throws EngineError for a negative return code; passes other values through. */
export function check(call: string, rc: number): number {
  if (rc < 0) throw new EngineError(call, rc);
  return rc;
}

/**
 * A synchronous call (trainSample, predict, evaluate, …, or env.mtj_sample inside the module) met a
 * draw source that answered with a Promise. Use the asynchronous calls (trainSampleAsync, trainEpoch,
 * evaluateAsync) with that source through the host buffer (`via: 'buffer'`).
 */
export class AsyncSourceError extends Error {
  constructor(readonly call: string) {
    super(`engine ${call}: a synchronous call met an asynchronous draw source; use trainSampleAsync, trainEpoch or evaluateAsync, with the source served through the host buffer (via: "buffer")`);
    this.name = 'AsyncSourceError';
  }
}
