/** The significance level below which a test accuracy counts as above chance. */
export const CHANCE_ALPHA = 0.05;

/**
 * Whether a model's test accuracy shows that it learned anything: the one-sided
 * exact binomial test of `correct` of `n` against the majority-class rate.
 */
export interface ChanceTest {
  readonly correct: number;
  readonly n: number;
  /** The majority class's share of the test examples: what predicting one class scores (1/k when balanced). */
  readonly chance: number;
  /** P(X >= correct) for X ~ Binomial(n, chance): how often a model that learned nothing scores this well. */
  readonly p: number;
  /** Not significantly above chance: p >= CHANCE_ALPHA. */
  readonly atChance: boolean;
  /** Of the repeats pooled into this test, how many were at chance on their own (1 for one model). */
  readonly repeats: number;
  readonly repeatsAtChance: number;
}

/** ln C(n, k) as a sum of logarithms of ratios: float64 to ~1e-12 for test-set sizes. */
function logChoose(n: number, k: number): number {
  const m = Math.min(k, n - k);
  let s = 0;
  for (let i = 1; i <= m; i++) s += Math.log((n - m + i) / i);
  return s;
}

const logPmf = (k: number, n: number, p: number) => logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);

/**
 * P(X >= k) for X ~ Binomial(n, p), exact in float64: the terms are summed from
 * the tail's end nearest the mean outwards (each from the last by the ratio of
 * consecutive probabilities), so none underflows before it stops mattering.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0 || p >= 1) return 1;
  if (k > n || p <= 0) return 0;
  const odds = p / (1 - p);
  if (k > n * p) {
    // Above the mean: the terms fall from k upwards.
    let term = Math.exp(logPmf(k, n, p));
    let sum = 0;
    for (let j = k; j <= n && term > 0 && term >= sum * 1e-17; j++) {
      sum += term;
      term *= ((n - j) / (j + 1)) * odds;
    }
    return Math.min(1, sum);
  }
  // At or below the mean: 1 - P(X <= k - 1), whose terms fall from k - 1 downwards.
  let term = Math.exp(logPmf(k - 1, n, p));
  let sum = 0;
  for (let j = k - 1; j >= 0 && term > 0 && term >= sum * 1e-17; j--) {
    sum += term;
    term *= (j / (n - j + 1)) / odds;
  }
  return Math.max(0, 1 - sum);
}

/** Counts one model (or one arm of one repeat) scored on a test set. */
export interface ChanceCounts {
  readonly correct: number;
  readonly n: number;
  /** Test examples of the most frequent class. */
  readonly majority: number;
}

const isAtChance = (c: ChanceCounts) => c.n > 0 && binomialUpperTail(c.correct, c.n, c.majority / c.n) >= CHANCE_ALPHA;

/**
 * The chance test over repeats, pooled: their correct answers and test examples
 * summed and tested against the pooled majority rate (the stratified splits give
 * every repeat the same class counts, so that is each one's rate). Pooling tests
 * n·repeats examples, so learning shows sooner than in any one repeat. null
 * when nothing was counted.
 */
export function chanceTest(counts: readonly ChanceCounts[]): ChanceTest | null {
  const used = counts.filter((c) => c.n > 0);
  if (used.length === 0) return null;
  const sum = (f: (c: ChanceCounts) => number) => used.reduce((s, c) => s + f(c), 0);
  const [correct, n, majority] = [sum((c) => c.correct), sum((c) => c.n), sum((c) => c.majority)];
  const chance = majority / n;
  const p = binomialUpperTail(correct, n, chance);
  return { correct, n, chance, p, atChance: p >= CHANCE_ALPHA, repeats: used.length, repeatsAtChance: used.filter(isAtChance).length };
}

/** A confusion matrix (counts[true][predicted]) as chance counts: its diagonal, total and largest row. */
export function confusionCounts(confusion: readonly (readonly number[])[]): ChanceCounts {
  const rows = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  return { correct: confusion.reduce((s, row, i) => s + (row[i] ?? 0), 0), n: rows.reduce((a, b) => a + b, 0), majority: Math.max(0, ...rows) };
}

/** p as the tables show it: two significant digits, or "< 0.001". */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${p.toPrecision(2)}`;
}

/** One chance test in words: "0.200 (60/300; chance 0.200, p = 0.53)". */
export function chanceText(t: ChanceTest): string {
  const repeats = t.repeats > 1 ? `, ${t.repeats} repeats pooled` : '';
  return `${(t.correct / t.n).toFixed(3)} (${t.correct}/${t.n}; chance ${t.chance.toFixed(3)}, p ${formatP(t.p)}${repeats})`;
}

/** What replaces the paired verdict when an arm ended at chance. */
export type ChanceVerdict = 'nothing learned' | 'scratch at chance' | 'transfer at chance';

/**
 * Final vs scratch when either model ended at chance: a difference between models
 * that learned nothing (or against one that did not) is not a verdict on transfer.
 * null when both learned, or when neither could be tested.
 */
export function chanceVerdict(final: ChanceTest | null, scratch: ChanceTest | null): { verdict: ChanceVerdict; why: string } | null {
  const [f, s] = [final?.atChance === true, scratch?.atChance === true];
  if (!f && !s) return null;
  const verdict: ChanceVerdict = f && s ? 'nothing learned' : s ? 'scratch at chance' : 'transfer at chance';
  const arm = (name: string, t: ChanceTest | null) => (t ? `${name} ${chanceText(t)}` : `${name} not tested`);
  const why = f && s
    ? `final ${chanceText(final!)} and scratch ${chanceText(scratch!)}: neither above chance`
    : f ? `final ${chanceText(final!)} not above chance; ${arm('scratch', scratch)}`
      : `scratch ${chanceText(scratch!)} not above chance; ${arm('final', final)}`;
  return { verdict, why };
}
