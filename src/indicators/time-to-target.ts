import type { Metric, TimeToTargetGoal } from '../config/resolved.js';
import type { CurvePoint } from '../train/fit.js';

/** When a curve first reached the target validation score; null: not reached. */
export interface Reached {
  readonly epochs: number;
  readonly steps: number;
  readonly examples: number;
  readonly seconds: number;
}

export interface TimeToTarget {
  readonly metric: Metric;
  readonly target: number;
  readonly transfer: Reached | null;
  readonly scratch: Reached | null;
  /** scratch / transfer, in epochs and in seconds; null when either did not reach it. */
  readonly speedup: { readonly epochs: number; readonly seconds: number } | null;
}

export function targetScore(goal: TimeToTargetGoal, metric: Metric, scratch: readonly CurvePoint[] | undefined): number | null {
  if ('value' in goal) return goal.value;
  if (scratch == null || scratch.length === 0) return null;
  return goal.relativeToScratch * Math.max(...scratch.map((p) => p.val[metric] ?? 0));
}

export function firstReached(curve: readonly CurvePoint[], metric: Metric, target: number): Reached | null {
  const p = curve.find((point) => (point.val[metric] ?? -Infinity) >= target);
  return p ? { epochs: p.epoch, steps: p.steps, examples: p.examples, seconds: p.seconds } : null;
}

/**
 * Time-to-target of a transferred model against its scratch baseline, or null when
 * the target cannot be set (relative to a scratch baseline that was not trained).
 */
export function timeToTarget(
  goal: TimeToTargetGoal,
  metric: Metric,
  transfer: readonly CurvePoint[],
  scratch: readonly CurvePoint[] | undefined,
): TimeToTarget | null {
  const target = targetScore(goal, metric, scratch);
  if (target == null) return null;
  const t = firstReached(transfer, metric, target);
  const s = scratch ? firstReached(scratch, metric, target) : null;
  return {
    metric,
    target,
    transfer: t,
    scratch: s,
    speedup: t && s ? { epochs: s.epochs / t.epochs, seconds: s.seconds / t.seconds } : null,
  };
}
