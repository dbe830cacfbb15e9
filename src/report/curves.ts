import type { Metric } from '../config/resolved.js';
import { estimate } from '../indicators/statistics.js';
import type { TrialRecord } from '../results/trial-record.js';
import type { CurvePoint } from '../train/fit.js';

export type Arm = 'transfer' | 'scratch';

/** Scores live in [0, 1]; a t interval from few repeats can reach past that, a band need not. */
export function clip01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

/** The mean validation score over repeats after one epoch, with its 95% band. */
export interface CurveRow {
  readonly point: string;
  readonly arm: Arm;
  readonly epoch: number;
  /** Mean wall seconds at this epoch over the repeats that got there. */
  readonly seconds: number;
  readonly mean: number;
  /** The band, within [0, 1]; the mean itself where one repeat gives no interval. */
  readonly low: number;
  readonly high: number;
  readonly n: number;
}

/** Where one repeat first reached its target. */
export interface Crossing {
  readonly point: string;
  readonly arm: Arm;
  readonly epoch: number;
  readonly seconds: number;
  readonly target: number;
}

const ARMS: readonly Arm[] = ['transfer', 'scratch'];

function curveOf(r: TrialRecord, arm: Arm): readonly CurvePoint[] {
  return (arm === 'transfer' ? r.curve : r.scratch?.curve) ?? [];
}

/**
 * Learning curves of one grid point averaged epoch by epoch. Early stopping ends
 * repeats at different epochs: each epoch averages the repeats that reached it.
 * A diverged epoch (NaN score, stored as null) is left out.
 */
export function curveRows(point: string, records: readonly TrialRecord[], metric: Metric): CurveRow[] {
  return ARMS.flatMap((arm) => {
    const byEpoch = new Map<number, { score: number; seconds: number }[]>();
    for (const r of records) {
      for (const p of curveOf(r, arm)) {
        const score = p.val[metric];
        if (score == null || !Number.isFinite(score)) continue;
        byEpoch.set(p.epoch, [...(byEpoch.get(p.epoch) ?? []), { score, seconds: p.seconds }]);
      }
    }
    return [...byEpoch].sort(([a], [b]) => a - b).map(([epoch, ps]) => {
      const e = estimate(ps.map((p) => p.score));
      return {
        point, arm, epoch, n: e.n, mean: e.mean, low: clip01(e.low ?? e.mean), high: clip01(e.high ?? e.mean),
        seconds: ps.reduce((s, p) => s + p.seconds, 0) / ps.length,
      };
    });
  });
}

/** Each repeat's first epoch at or above its target, transfer and scratch. */
export function crossings(point: string, records: readonly TrialRecord[]): Crossing[] {
  return records.flatMap((r) => {
    const t = r.indicators?.timeToTarget;
    if (t == null) return [];
    return ARMS.flatMap((arm) => {
      const reached = t[arm];
      return reached ? [{ point, arm, epoch: reached.epochs, seconds: reached.seconds, target: t.target }] : [];
    });
  });
}
