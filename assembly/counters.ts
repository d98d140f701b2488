// Operation counters (i64, static data at COUNTERS), read and zeroed by the host through countersPtr().
//   index phase*4 + kind
//     phase: 0 forward · 1 activation gradient (output loss gradient, f′ or the MTJ draws)
//            2 delta propagation (Wᵀδ) · 3 weight gradient and update
//     kind:  0 multiplies · 1 adds · 2 random draws · 3 memory writes
//   index 16 + h (SLOT_KEPT): kept hidden neurons of hidden layer h (0..3); index 20 + h (SLOT_SEEN): neurons seen.
//   index 24 (SLOT_LOSS): training loss summed over the steps with a hard label, Q16 (loss.ts; not an operation).
//   The deep module (deep.ts) sums kept and seen over every hidden node in slots 16 and 20 and uses slot 17
//   (SLOT_COMPARE) for the comparisons of its top-k selection and of TinyProp's rule (select.ts); the release
//   module never writes slot 17 as such (there it is hidden layer 1's kept count).
// Counts are added per loop from its trip count, so they count exactly what the loops execute;
// a division counts as one multiply, a shift or compare as nothing (except the deep module's selection
// comparisons, counted in SLOT_COMPARE and nowhere else).

@inline export const PH_FORWARD: i32 = 0;
@inline export const PH_ACTGRAD: i32 = 1;
@inline export const PH_DELTA: i32 = 2;
@inline export const PH_UPDATE: i32 = 3;
@inline export const K_MUL: i32 = 0;
@inline export const K_ADD: i32 = 1;
@inline export const K_DRAW: i32 = 2;
@inline export const K_WRITE: i32 = 3;
/** Slot of hidden layer h's kept neurons (h = 0..3, SLOT_KEPT + h), summed over steps. */
@inline export const SLOT_KEPT: i32 = 16;
/** Slot of hidden layer h's neurons seen (h = 0..3, SLOT_SEEN + h), summed over steps. */
@inline export const SLOT_SEEN: i32 = 20;
/** Deep module only: comparisons of two magnitudes (or of k with its bounds) made to choose the kept units (select.ts). */
@inline export const SLOT_COMPARE: i32 = 17;
@inline export const SLOT_LOSS: i32 = 24;
@inline export const COUNTER_SLOTS: i32 = 25;

export const COUNTERS: usize = memory.data(COUNTER_SLOTS * 8);

/** Off while evaluating, so that counters hold training work only. */
export let counting: bool = true;

export function setCounting(on: bool): void {
  counting = on;
}

/** counter[slot] += n */
export function bump(slot: i32, n: i32): void {
  if (!counting) return;
  const p = COUNTERS + (<usize>slot << 3);
  store<i64>(p, load<i64>(p) + <i64>n);
}

/** Adds mul multiplies, add adds and write memory writes to a phase. */
export function ops(phase: i32, mul: i32, add: i32, write: i32): void {
  bump(phase << 2, mul);
  bump((phase << 2) + K_ADD, add);
  bump((phase << 2) + K_WRITE, write);
}
