// The module's one import, env.mtj_sample: the host's (or the board's) MTJ array.
//
//   draws ≥ 1 (p-GAF-BP): for j < count, write `draws` independent Bernoulli(p_j) bits (u8 0/1)
//       at out[j·draws + d], p_j = in[j] / 65536 (i32 Q16), from the junctions serving neuron j of
//       hidden layer `hidden` (0-based).
//   draws = 0 (MTJ pair, pair-gradient.ts): for j < count, drive neuron j's twin junctions with
//       the currents I(z_j) and I(z_j) + ΔI, z_j = in[j] / 65536 (i32 Q16 pre-activation), and
//       write their voltages, normalised to activation units, as i32 Q16 at out[2j] = V1(I),
//       out[2j + 1] = V2(I + ΔI).
// One import for both keeps the import list (and every board runtime's linking) unchanged; a
// board glue without pair support refuses draws = 0 (st_mtj_sample: bounds error → trap).
@external('env', 'mtj_sample')
export declare function mtjSample(hidden: i32, count: i32, input: usize, out: usize, draws: i32): void;

/** Pair read of hidden layer `hidden`: count pre-activations at zs → count (V1, V2) Q16 pairs at out. */
@inline export function mtjReadPair(hidden: i32, count: i32, zs: usize, out: usize): void {
  mtjSample(hidden, count, zs, out, 0);
}
