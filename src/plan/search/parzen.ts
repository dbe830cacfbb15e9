/**
 * Parzen estimators of one dimension, as TPE builds them from a group of
 * observations: a mixture of truncated Gaussians on a line, or smoothed
 * frequencies over a choice's values.
 */
export interface Estimator {
  sample(random: () => number): number;
  logDensity(x: number): number;
}

/** Weight of the prior component (the whole range) beside the observations' (each 1). */
const PRIOR_WEIGHT = 1;

/**
 * Gaussians at each observation and a prior one over the whole line [low, high],
 * truncated to it. Widths follow the neighbours: each Gaussian (the prior among
 * them, in sorted order) is as wide as the larger gap to its neighbours, the two
 * outermost only as wide as the gap inward (the ends of the line do not widen
 * them), then clipped to between range / min(100, n + 1) and the range; the
 * prior's is the range. This is the bandwidth rule of Bergstra et al. as Optuna
 * applies it (its defaults: no endpoints, the "magic clip").
 */
export function numericEstimator(observations: readonly number[], low: number, high: number): Estimator {
  const span = high - low;
  const prior = (low + high) / 2;
  const mus = [...observations, prior];
  const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]! || a - b);
  const sorted = order.map((i) => mus[i]!);
  const minSigma = span / Math.min(100, mus.length + 1);
  const sigmas = new Array<number>(mus.length);
  order.forEach((i, k) => {
    const left = sorted[k]! - (k === 0 ? low : sorted[k - 1]!);
    const right = (k === sorted.length - 1 ? high : sorted[k + 1]!) - sorted[k]!;
    const inner = sorted.length < 2 ? Math.max(left, right) : k === 0 ? right : k === sorted.length - 1 ? left : Math.max(left, right);
    sigmas[i] = i === mus.length - 1 ? span : Math.min(span, Math.max(minSigma, inner));
  });
  const weights = [...observations.map(() => 1), PRIOR_WEIGHT];
  const total = weights.reduce((a, b) => a + b, 0);
  const mass = mus.map((mu, i) => normalCdf((high - mu) / sigmas[i]!) - normalCdf((low - mu) / sigmas[i]!));
  return {
    sample: (random) => {
      const i = pick(weights, total, random);
      return truncatedNormal(mus[i]!, sigmas[i]!, low, high, random);
    },
    logDensity: (x) => {
      let p = 0;
      for (let i = 0; i < mus.length; i++) {
        const z = (x - mus[i]!) / sigmas[i]!;
        p += (weights[i]! / total) * Math.exp(-0.5 * z * z) / (sigmas[i]! * Math.sqrt(2 * Math.PI) * Math.max(mass[i]!, 1e-12));
      }
      return Math.log(Math.max(p, 1e-300));
    },
  };
}

/** A choice among `count` values: each value's count among the observations (indices) plus the prior's weight (add-one smoothing, as Optuna). */
export function choiceEstimator(observations: readonly number[], count: number): Estimator {
  const weights = Array.from({ length: count }, () => PRIOR_WEIGHT);
  for (const i of observations) weights[Math.floor(i)]! += 1;
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    sample: (random) => pick(weights, total, random) + 0.5,
    logDensity: (x) => Math.log(weights[Math.min(count - 1, Math.max(0, Math.floor(x)))]! / total),
  };
}

function pick(weights: readonly number[], total: number, random: () => number): number {
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** A draw from N(mu, sigma) restricted to [low, high], by inverting its distribution function. */
function truncatedNormal(mu: number, sigma: number, low: number, high: number, random: () => number): number {
  const a = normalCdf((low - mu) / sigma);
  const b = normalCdf((high - mu) / sigma);
  const u = a + random() * (b - a);
  const x = mu + sigma * normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, u)));
  return Math.min(high, Math.max(low, x));
}

/** The standard normal distribution function (erfc by the Numerical Recipes Chebyshev fit, |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
