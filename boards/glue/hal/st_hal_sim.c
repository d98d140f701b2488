/*
 * Simulated MTJ HAL for host tests and emulators, integer only (no FPU, no libm), deterministic.
 * test/harness/runtimes/simulated-mtj-hal.ts is the same device on the host, so V8 and native runs agree bit for bit.
 *
 * p-GAF draws: each junction is an ideal Bernoulli(p) device driven by xoshiro128** seeded through
 * splitmix32 (the generator of host/rng.ts), one 32-bit draw per bit, bit = (draw >> 16) < p_Q16,
 * draws in order j = 0…count−1, d = 0…draws−1.
 *
 * MTJ pairs (the pair algorithm, draws = 0): one pair per hidden neuron (pair = st_mtj_hidden_index, as
 * host/device/sim-pair-draws.ts), each twin the I–V model of host/device/pair-iv-model.ts,
 * V(I) = a·tanh(b(I − I0)) + c·I, in the host's units: I = z/b (1/b = 100 µA per pre-activation unit)
 * and V/a (a = 0.2 V per activation unit), so a twin reads, in Q16,
 *   v(z) = g·tanh(z − z0) + s·z + n,   s = c/(a·b) = 0.05,
 * with its own gain g = 1 + N(0, 0.02²) (gain CV 2 %) and centre z0 = b·I0 = N(0, 0.02²) (σ(I0) = 2 µA),
 * and read noise n = N(0, 0.0025²) (0.5 mV). z is clamped to [−10, 10 − Δz] (±1 mA). Twin A reads at
 * z, twin B at z + Δz. No twin calibration (MtjPairSource.calibrateTwins) is done here.
 * Normal deviates are Irwin–Hall sums of four 16-bit uniforms (±3.46σ, exact mean and variance). The
 * twins' g and z0 come from a counter hash of (seed, junction), so they do not depend on read order;
 * the read noise comes from a second xoshiro128** stream (seed ^ PAIR_NOISE_SEED), two deviates per
 * read (twin A, then twin B). tanh is computed in fixed point (exp by range reduction and a degree-8
 * Taylor polynomial in Q24), within 2^-16 of tanh.
 * Built with ST_HAL_SIM_NO_PAIRS, the HAL has no pairs (a pair read returns ST_ERR_NO_PAIRS).
 */
#include "../portable/st_mtj.h"
#include "../portable/st_errors.h"

typedef struct { uint32_t s[4]; } xoshiro;

static xoshiro bits_rng;   /* p-GAF draws */
static xoshiro noise_rng;  /* pair read noise */
static uint32_t pair_key;  /* pair junction parameters */

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

/* splitmix32 output for x += 0x9e3779b9 (host/rng.ts) */
static uint32_t splitmix(uint32_t x) {
  uint32_t z = x;
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

static void seed_rng(xoshiro *r, uint32_t seed) {
  uint32_t x = seed;
  for (int i = 0; i < 4; i++) {
    x += 0x9e3779b9u;
    r->s[i] = splitmix(x);
  }
}

static uint32_t next(xoshiro *r) {
  uint32_t *s = r->s;
  uint32_t result = rotl(s[1] * 5u, 7) * 9u;
  uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

#define PAIR_NOISE_SEED 0x6a09e667u /* xor-ed into the seed: the read-noise stream */
#define PAIR_KEY_SEED 0xbb67ae85u   /* xor-ed into the seed: the junction-parameter hash key */

const char *st_hal_draw_source(int pairs) {
#ifdef ST_HAL_SIM_NO_PAIRS
  if (pairs) return "none";
#endif
  (void)pairs;
  return "sim";
}

void st_hal_sim_seed(uint32_t seed) {
  seed_rng(&bits_rng, seed);
  seed_rng(&noise_rng, seed ^ PAIR_NOISE_SEED);
  pair_key = splitmix(seed ^ PAIR_KEY_SEED);
}

void st_hal_sample_layer(uint32_t hidden, uint32_t count, const uint8_t *probs_q16_le, uint8_t *bits, uint32_t draws) {
  (void)hidden;
  for (uint32_t j = 0; j < count; j++) {
    int32_t p = st_load_i32(probs_q16_le + 4u * j);
    for (uint32_t d = 0; d < draws; d++) bits[j * draws + d] = (int32_t)(next(&bits_rng) >> 16) < p;
  }
}

#ifdef ST_HAL_SIM_NO_PAIRS
int st_hal_mtj_read_pair(uint32_t layer, uint32_t neuron, int32_t z_q16, int32_t dz_q16, int32_t *v1_q16, int32_t *v2_q16) {
  (void)layer; (void)neuron; (void)z_q16; (void)dz_q16; (void)v1_q16; (void)v2_q16;
  return ST_ERR_NO_PAIRS;
}
#else

/* Model constants in Q16 units (pair-iv-model.ts defaults; see above). Deviate multipliers: σ·65536·√3,
 * since an Irwin–Hall sum of four 16-bit uniforms has σ = 65536/√3. */
#define PAIR_SLOPE_Q16 3277        /* s = c/(a·b) = 100 Ω / (0.2 V · 10^4 /A) = 0.05 */
#define PAIR_GAIN_MUL 2270         /* gain CV 0.02        */
#define PAIR_CENTRE_MUL 2270       /* σ(z0) = 0.02 (2 µA) */
#define PAIR_NOISE_MUL 284         /* σ(n) = 0.0025 (0.5 mV) */
#define PAIR_Z_MAX_Q16 655360      /* ±1 mA = ±10 units   */
#define ONE_Q24 16777216
#define LN2_Q16 45426

/* floor(p / 65536), for either sign */
static int32_t floor16(int64_t p) { return (int32_t)(p >= 0 ? p >> 16 : -((-p + 65535) >> 16)); }

/* Irwin–Hall deviate from two 32-bit draws, scaled: ≈ N(0, (mul/√3)²) in Q16. */
static int32_t deviate(uint32_t a, uint32_t b, int32_t mul) {
  int32_t sum = (int32_t)((a >> 16) + (a & 0xffffu) + (b >> 16) + (b & 0xffffu)) - 131070;
  return floor16((int64_t)sum * mul);
}

/* Counter hash of the junction parameters: word i of junction k. */
static uint32_t junction_word(uint32_t k, uint32_t i) { return splitmix(pair_key + (4u * k + i + 1u) * 0x9e3779b9u); }

/* tanh(x), x and result in Q16: 1 − 2/(e^{2|x|} + 1) with e^{−y} = 2^{−k}·e^{−r}, r ∈ [0, ln 2). */
static int32_t tanh_q16(int32_t x) {
  uint32_t ax = x < 0 ? 0u - (uint32_t)x : (uint32_t)x;
  if (ax >= (10u << 16)) return x < 0 ? -65536 : 65536;
  uint32_t y = 2u * ax;
  uint32_t k = y / LN2_Q16, r = y - k * LN2_Q16;
  uint64_t t = ONE_Q24; /* Horner: e^{−r} = 1 − r(1 − r/2(1 − r/3(…))) */
  for (uint32_t n = 8; n >= 1; n--) t = ONE_Q24 - (((t * r) >> 16) / n);
  t >>= k;
  uint64_t num = (uint64_t)(ONE_Q24 - t) << 16, den = ONE_Q24 + t;
  int32_t v = (int32_t)((num + (den >> 1)) / den);
  return x < 0 ? -v : v;
}

/* One twin's noise-free voltage in activation units (Q16) at pre-activation z (Q16). */
static int32_t twin_q16(uint32_t junction, int32_t z) {
  int32_t gain = 65536 + deviate(junction_word(junction, 0), junction_word(junction, 1), PAIR_GAIN_MUL);
  int32_t centre = deviate(junction_word(junction, 2), junction_word(junction, 3), PAIR_CENTRE_MUL);
  return floor16((int64_t)gain * tanh_q16(z - centre) + 32768) + floor16((int64_t)PAIR_SLOPE_Q16 * z + 32768);
}

int st_hal_mtj_read_pair(uint32_t layer, uint32_t neuron, int32_t z_q16, int32_t dz_q16, int32_t *v1_q16, int32_t *v2_q16) {
  uint32_t pair = st_mtj_hidden_index(layer, neuron);
  int32_t hi = PAIR_Z_MAX_Q16 - dz_q16;
  int32_t z = z_q16 > hi ? hi : z_q16 < -PAIR_Z_MAX_Q16 ? -PAIR_Z_MAX_Q16 : z_q16;
  uint32_t u[4];
  for (int i = 0; i < 4; i++) u[i] = next(&noise_rng); /* twin A's deviate, then twin B's */
  int32_t na = deviate(u[0], u[1], PAIR_NOISE_MUL);
  int32_t nb = deviate(u[2], u[3], PAIR_NOISE_MUL);
  *v1_q16 = twin_q16(2u * pair, z) + na;
  *v2_q16 = twin_q16(2u * pair + 1u, z + dz_q16) + nb;
  return ST_OK;
}
#endif
