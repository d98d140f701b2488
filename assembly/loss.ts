// Training loss of one step, added to counter slot 24 (counters.ts) in Q16:
//   softmax output: −ln p_y                  cross-entropy [nats]
//   sigmoid output: ½ Σ_k (a_k − y_k)²       squared error, the loss whose gradient backward.ts uses
// −ln p = ln 2 · (16 − log2 P) for P = p in Q16 (P ≥ 1; p = 0 is taken as 2^−16, so the loss is at
// most 16 ln 2 = 11.09). log2 P = e + log2(1 + f), e = ⌊log2 P⌋, f = P/2^e − 1 in [0, 1), and
// log2(1 + f) ≈ f + f(1 − f)(0.42286 − 0.15922 f) (|error| ≤ 0.00088, fitted minimax; with the Q16
// roundings |−ln p error| ≤ 0.001 nats, test/engine/loss.spec.ts). Instrumentation, not training work:
// it is not counted in the operation counters. A soft-target step (distillation) adds ½ Σ (a_k − t_k)²
// for sigmoid outputs and 0 for softmax (its loss, −Σ t_k ln p_k, would cost n logarithms).

/** −ln(p) in Q16 for a probability p in Q16 (0..65536). */
export function negLnQ16(p: i32): i32 {
  if (p < 1) p = 1;
  const s: i64 = <i64>(clz<i32>(p) - 15); // 16 − e
  const f: i64 = (<i64>p << s) - 65536;
  // 16 − log2 P = (16 − e) − log2(1 + f), in Q16
  const t: i64 = (s << 16) - f - ((((f * (65536 - f)) >> 16) * (27713 - ((10435 * f) >> 16))) >> 16);
  return <i32>((t * 45426 + 32768) >> 16);
}
