/** Operation counters read from the engine (assembly/counters.ts): per phase and kind, plus kept fractions. */

export interface PhaseOps {
  mul: number;
  add: number;
  draws: number;
  writes: number;
  /**
   * Comparisons made to choose the kept units: only activationGradient of the deep module's topk and adaptive
   * (assembly/select.ts, counter slot COMPARE_SLOT); absent everywhere else, and from the release engine.
   */
  compares?: number;
}

export interface OpCounters {
  forward: PhaseOps;
  /** Output loss gradient, f′ (bp) or the MTJ draws (pgaf). */
  activationGradient: PhaseOps;
  /** Wᵀδ into the hidden layers. */
  deltaPropagation: PhaseOps;
  /** Weight gradient and SGD update. */
  weightUpdate: PhaseOps;
  /** Kept hidden neurons per hidden layer, summed over samples. */
  kept: number[];
  /** Hidden neurons considered per hidden layer, summed over samples. */
  seen: number[];
}

export const PHASES = ['forward', 'activationGradient', 'deltaPropagation', 'weightUpdate'] as const;
export type Phase = (typeof PHASES)[number];

export function emptyCounters(hiddenLayers: number): OpCounters {
  const z = (): PhaseOps => ({ mul: 0, add: 0, draws: 0, writes: 0 });
  return {
    forward: z(),
    activationGradient: z(),
    deltaPropagation: z(),
    weightUpdate: z(),
    kept: new Array<number>(hiddenLayers).fill(0),
    seen: new Array<number>(hiddenLayers).fill(0),
  };
}

/** i64 slots of the module's counter block (assembly/counters.ts): 24 operation slots, then the loss. */
export const COUNTER_SLOTS = 25;
/** Slots of hidden layer h's kept neurons (KEPT_SLOT + h) and neurons seen (SEEN_SLOT + h): SLOT_KEPT, SLOT_SEEN of assembly/counters.ts. */
export const KEPT_SLOT = 16;
export const SEEN_SLOT = 20;
/** Slot of the training loss, summed over steps in Q16 (assembly/loss.ts). */
export const LOSS_SLOT = 24;
/**
 * Deep module only: slot of the selection's comparisons (SLOT_COMPARE of assembly/counters.ts). The release
 * module keeps hidden layer 1's kept count there (KEPT_SLOT + 1), so only the deep engine asks for it.
 */
export const COMPARE_SLOT = 17;

/**
 * Decodes the 24 operation slots of the counter block; `compares`: also activationGradient.compares from
 * COMPARE_SLOT (the deep module's topk and adaptive; default false, the block as the release module writes it).
 */
export function decodeCounters(slots: BigInt64Array, hiddenLayers: number, opts: { compares?: boolean } = {}): OpCounters {
  const c = emptyCounters(hiddenLayers);
  PHASES.forEach((phase, p) => {
    c[phase] = {
      mul: Number(slots[p * 4]),
      add: Number(slots[p * 4 + 1]),
      draws: Number(slots[p * 4 + 2]),
      writes: Number(slots[p * 4 + 3]),
    };
  });
  for (let h = 0; h < hiddenLayers; h++) {
    c.kept[h] = Number(slots[KEPT_SLOT + h]);
    c.seen[h] = Number(slots[SEEN_SLOT + h]);
  }
  if (opts.compares) c.activationGradient.compares = Number(slots[COMPARE_SLOT]);
  return c;
}

/**
 * Multiplies and adds of the backward pass (everything after the forward pass); a selection comparison
 * (PhaseOps.compares) counts as an add (a subtraction), as the energy model charges it.
 */
export function backwardMulAdd(c: OpCounters): number {
  return (['activationGradient', 'deltaPropagation', 'weightUpdate'] as const).reduce((s, p) => s + c[p].mul + c[p].add + (c[p].compares ?? 0), 0);
}

/** Kept fraction of hidden gradients per hidden layer. */
export function keptFraction(c: OpCounters): number[] {
  return c.kept.map((k, h) => (c.seen[h] > 0 ? k / c.seen[h] : 0));
}
