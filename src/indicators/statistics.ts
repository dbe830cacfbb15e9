import type { ChanceVerdict } from './chance.js';

// Two-sided 95% Student t quantiles for 1..30 degrees of freedom.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile95(df: number): number {
  return df <= 30 ? T95[df - 1]! : 1.96 + 2.4 / df; // close to the exact value above 30
}

/** Mean and 95% confidence interval (Student t); no interval from one value. */
export interface Estimate {
  readonly n: number;
  readonly mean: number;
  readonly low: number | null;
  readonly high: number | null;
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  const mean = n === 0 ? NaN : values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, low: null, high: null };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile95(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, low: mean - half, high: mean + half };
}

/**
 * Ratios (speed-ups) average on the log scale: the geometric mean and the t interval
 * of the logarithms, mapped back, so 2x and 0.5x cancel and the interval stays > 0.
 */
export function ratioEstimate(ratios: readonly number[]): Estimate {
  const e = estimate(ratios.map(Math.log));
  const back = (v: number | null) => (v == null ? null : Math.exp(v));
  return { n: e.n, mean: back(e.mean) ?? NaN, low: back(e.low), high: back(e.high) };
}

export type PairedVerdict = 'positive' | 'negative' | 'inconclusive';

/** A paired verdict, or what replaces it when an arm learned nothing (see chance.ts). */
export type Verdict = PairedVerdict | ChanceVerdict;

/**
 * Final vs scratch over repeats: transfer and scratch of one seed share the data
 * split, so the interval is on the per-seed differences.
 */
export function pairedVerdict(differences: readonly number[]): { estimate: Estimate; verdict: PairedVerdict; why: string } {
  const e = estimate(differences);
  if (e.low == null || e.high == null) {
    return { estimate: e, verdict: 'inconclusive', why: `${e.n} repeat${e.n === 1 ? '' : 's'}: no confidence interval (set repeats >= 3)` };
  }
  if (e.low > 0) return { estimate: e, verdict: 'positive', why: '95% interval above 0' };
  if (e.high < 0) return { estimate: e, verdict: 'negative', why: '95% interval below 0: negative transfer' };
  return { estimate: e, verdict: 'inconclusive', why: '95% interval contains 0' };
}
