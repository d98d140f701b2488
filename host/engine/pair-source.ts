/**
 * Where the pair algorithm's hidden activations and derivatives come from, seen from the host.
 *
 * For neuron j of hidden layer `layer` (0-based) the engine passes its pre-activation
 * z_j = zQ16[j] / 65536. The source drives the neuron's twin MTJs with the currents I(z_j) and
 * I(z_j) + ΔI (ΔI = stepZ · dI/dz) and writes their voltages in activation units, Q16:
 * out[2j] = V1(I), out[2j + 1] = V2(I + ΔI). The engine takes a_j = V1 and f′_j = (V2 − V1) / stepZ.
 *
 * Synchronous sources (return void) are served inside the module (env.mtj_sample with draws = 0);
 * asynchronous ones between forwardLayer calls (the host-filled buffer).
 */
export interface PairSource {
  /** Finite-difference step Δz in pre-activation units; must equal the network's pairStep. */
  readonly stepZ: number;
  readLayer(layer: number, zQ16: Int32Array, out: Int32Array): void | Promise<void>;
  close?(): void | Promise<void>;
}
