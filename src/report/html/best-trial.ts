import { bestTrial } from '../../results/run-summary.js';
import type { TrialRecord } from '../../results/trial-record.js';
import type { Metric } from '../../config/resolved.js';
import { table } from './detail-tables.js';

/** The examples the best trial got most confidently wrong (texts, image files), or nothing where none were kept. */
export function mistakesTable(records: readonly TrialRecord[], metric: Metric): string {
  const best = bestTrial(records, metric);
  const shown = best?.misclassified ?? [];
  if (best == null || shown.length === 0) return '';
  const rows = shown.map((m) => [m.example, m.label, m.predicted, m.probability.toFixed(3)]);
  return table('mistakes-table', ['example', 'class', 'predicted', 'probability'], rows,
    `Test examples trial ${best.trial} (the best by test ${metric}) got most confidently wrong.`);
}
