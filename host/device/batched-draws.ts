/**
 * An optional hint of an MtjArray: `prefersBatchedDraws` is true when one sample() call with many requests
 * is much cheaper than many calls with few (J5Mtj on spintrain's firmware turns a call into MTJ_SAMPLE
 * requests of up to 4096 draws each). Calibration then asks for all draws of a sweep point in one call, and
 * MtjBitSource orders a layer's draws so that each group of junctions keeps its currents for all its draws.
 * Arrays without the hint (SimMtj, J5Mtj on StandardFirmata) are called exactly as before.
 */
export interface BatchedDrawsHint {
  readonly prefersBatchedDraws?: boolean;
}

export function prefersBatchedDraws(array: object): boolean {
  return (array as BatchedDrawsHint).prefersBatchedDraws === true;
}
