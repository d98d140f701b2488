/**
 * The seeds of the module's draw generator (rngSeed), written once for every host path: the engine's
 * setup and setEpoch, and the runtime replays (test/harness/runtimes). The board glue computes the same
 * in C, boards/glue/portable/st_draw_seed.h; test/engine/draw-seed.spec.ts compiles that header and
 * compares the two.
 */

/** The draws' seed after initWeights(seed): the same stream, reseeded so that the draws do not depend on the layout. */
export function initialDrawSeed(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}

/**
 * The draws' seed of epoch e (0-based): (seed ^ 0x5bd1e995) · 0x9e3779b1 + e (mod 2^32). Each epoch's
 * draws start from their own seed, so a run resumed from a checkpoint draws exactly what the
 * uninterrupted run would have drawn.
 */
export function epochDrawSeed(seed: number, epoch: number): number {
  return (Math.imul(initialDrawSeed(seed), 0x9e3779b1) + epoch) >>> 0;
}
