/**
 * Where p-GAF-BP's random bits come from, seen from the host.
 *
 * The engine computes, for every neuron j of hidden layer `layer`, a probability p_j in Q16
 * (p = probsQ16[j] / 65536; sigmoid: p = σ(z), tanh: p = σ(2z), probabilistic ReLU: p = σ(z)).
 * A bit source fills out[j * draws + d] with 0 or 1 for d < draws: independent Bernoulli(p_j) draws,
 * each from the physical (or simulated) junction that serves neuron j of that layer.
 * draws is 2 for the p-GAF pair (kept on (1,0)) and 1 for the probabilistic ReLU.
 *
 * A synchronous source (returns void) is called from inside the module's training step through the
 * `env.mtj_sample` import; an asynchronous one (returns a Promise) is served between the module's
 * `forward` and `backward` calls, so the data path stays host → module → device → module.
 */
export interface BitSource {
  sampleLayer(layer: number, probsQ16: Int32Array, draws: number, out: Uint8Array): void | Promise<void>;
  /** Optional: release hardware. */
  close?(): void | Promise<void>;
}
