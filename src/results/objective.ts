import type { Metric } from '../config/resolved.js';
import type { TrialRecord } from './trial-record.js';

/**
 * What a search ranks a trial by: the validation score of a metric at the point
 * whose weights were tested (the restored best point, else the last). Never the
 * test score: choosing on it would make the reported test score optimistic.
 */
export function validationScore(record: TrialRecord, metric: Metric): number | undefined {
  const curve = record.curve ?? [];
  const point = record.restored ? curve.find((p) => p.steps === record.restored!.steps) : curve[curve.length - 1];
  const score = point?.val[metric];
  return score != null && Number.isFinite(score) ? score : undefined;
}
