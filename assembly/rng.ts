// The module's own seeded generator: xoshiro128** seeded by splitmix32, the same sequence as
// host/rng.ts (used when a board samples on-chip instead of from MTJs).

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;
let sm: u32 = 0;

function splitmix32(): u32 {
  sm += 0x9e3779b9;
  let z = sm;
  z = (z ^ (z >> 16)) * 0x85ebca6b;
  z = (z ^ (z >> 13)) * 0xc2b2ae35;
  return z ^ (z >> 16);
}

export function rngSeed(seed: u32): void {
  sm = seed;
  s0 = splitmix32();
  s1 = splitmix32();
  s2 = splitmix32();
  s3 = splitmix32();
}

export function rngNext(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** One Bernoulli(p) draw, p in Q16: 1 when the top 16 bits of a draw are below p. */
@inline export function bernoulliQ16(p: i32): u8 {
  return <u8>(<i32>(rngNext() >> 16) < p);
}

/**
 * Folds h into the state (narrow builds: a step's device draws, stochastic-rounding.ts): s0 ^= h, then one
 * step to spread it over all four words. The state cannot become all zero unless s1 = s2 = s3 = 0 already
 * (probability 2^-96).
 */
export function rngMix(h: u32): void {
  s0 ^= h;
  rngNext();
}
