import type { Metric } from '../config/resolved.js';

/** counts[true][predicted] */
export function confusionMatrix(truth: Int32Array, predicted: Int32Array, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => {
    m[t]![predicted[i]!]!++;
  });
  return m;
}

export function accuracy(m: number[][]): number {
  const total = m.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const right = m.reduce((s, row, i) => s + row[i]!, 0);
  return total === 0 ? 0 : right / total;
}

/**
 * Mean of per-class F1 over the classes that occur in the truth or the
 * predictions; a class with precision and recall both 0 scores 0.
 */
export function macroF1(m: number[][]): number {
  const scores: number[] = [];
  m.forEach((row, c) => {
    const tp = row[c]!;
    const actual = row.reduce((a, b) => a + b, 0);
    const predicted = m.reduce((s, r) => s + r[c]!, 0);
    if (actual === 0 && predicted === 0) return;
    scores.push(actual + predicted === 0 ? 0 : (2 * tp) / (actual + predicted));
  });
  return scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
}

const METRICS = { accuracy, macroF1 } as const satisfies Record<Metric, (m: number[][]) => number>;

export type MetricValues = Partial<Record<Metric, number>>;

export function computeMetrics(metrics: readonly Metric[], truth: Int32Array, predicted: Int32Array, classes: number): MetricValues {
  const m = confusionMatrix(truth, predicted, classes);
  return Object.fromEntries(metrics.map((name) => [name, METRICS[name](m)]));
}
