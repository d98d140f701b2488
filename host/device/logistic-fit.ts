/**
 * Maximum-likelihood fit of P(x) = σ(k (x − x50)) to binomial counts by IRLS (Newton on the
 * log-likelihood), with the predictor standardised for conditioning and a tiny ridge (λ = 1e-6 on the
 * standardised coefficients) so perfectly separated data still give a finite, steep fit.
 */
export interface BinomialPoint {
  /** Predictor (here the write current [A]). */
  x: number;
  /** Trials. */
  n: number;
  /** Successes. */
  k: number;
}

export interface LogisticFit {
  /** Centre: σ = 1/2 at x50. */
  x50: number;
  /** Slope k [1/unit of x]. */
  k: number;
  /** Log-likelihood at the optimum. */
  logLik: number;
  /** Newton iterations used. */
  iterations: number;
}

export const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

export function fitLogistic(points: readonly BinomialPoint[], maxIterations = 100): LogisticFit {
  const pts = points.filter((p) => p.n > 0);
  if (pts.length < 2) throw new RangeError('fitLogistic: need at least two points with trials');
  let sw = 0;
  let sx = 0;
  for (const p of pts) {
    sw += p.n;
    sx += p.n * p.x;
  }
  const mean = sx / sw;
  let sxx = 0;
  for (const p of pts) sxx += p.n * (p.x - mean) ** 2;
  const scale = Math.sqrt(sxx / sw) || 1;
  const lambda = 1e-6 * sw;
  // logit P = a + b·u with u = (x − mean)/scale.
  let a = 0;
  let b = 1;
  const objective = (a_: number, b_: number): number => {
    let ll = 0;
    for (const p of pts) {
      const t = a_ + b_ * ((p.x - mean) / scale);
      // log σ(t) = −softplus(−t), log(1 − σ(t)) = −softplus(t)
      ll -= p.k * softplus(-t) + (p.n - p.k) * softplus(t);
    }
    return ll - 0.5 * lambda * (a_ * a_ + b_ * b_);
  };
  let f = objective(a, b);
  let it = 0;
  for (; it < maxIterations; it++) {
    let ga = -lambda * a;
    let gb = -lambda * b;
    let haa = lambda;
    let hab = 0;
    let hbb = lambda;
    for (const p of pts) {
      const u = (p.x - mean) / scale;
      const s = sigmoid(a + b * u);
      const r = p.k - p.n * s;
      const w = p.n * s * (1 - s);
      ga += r;
      gb += r * u;
      haa += w;
      hab += w * u;
      hbb += w * u * u;
    }
    const det = haa * hbb - hab * hab;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    let step = 1;
    let fNew = objective(a + da, b + db);
    while (fNew < f && step > 1e-8) {
      step /= 2;
      fNew = objective(a + step * da, b + step * db);
    }
    da *= step;
    db *= step;
    a += da;
    b += db;
    const done = Math.abs(fNew - f) < 1e-12 * (1 + Math.abs(f));
    f = fNew;
    if (done) break;
  }
  const k = b / scale;
  return { x50: mean - (a * scale) / b, k, logLik: f + 0.5 * lambda * (a * a + b * b), iterations: it + 1 };
}

function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}
