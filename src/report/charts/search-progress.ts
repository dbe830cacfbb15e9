import type { Metric } from '../../config/resolved.js';
import { type Chart, CONFIG, SCHEMA } from './chart.js';

/** The best score so far where it changed, and at the end of the compute spent. */
export interface ProgressRow {
  readonly epochs: number;
  readonly seconds: number;
  readonly best: number;
  /** Which best: fully trained, or (ASHA) at any rung. */
  readonly series: string;
  /** The best improved at this record (a dot); false for the row carrying it to the end. */
  readonly improved: boolean;
}

/**
 * A search's best configuration mean so far against the compute spent on it: a step
 * line per series, a dot where it improved.
 */
export function searchProgressChart(rows: readonly ProgressRow[], series: readonly string[], x: 'epochs' | 'seconds', metric: Metric): Chart {
  const X = { field: x, type: 'quantitative', title: x === 'epochs' ? 'epochs trained, summed over trials' : 'trial seconds, summed over trials', scale: { domainMin: 0 } } as const;
  const Y = { field: 'best', type: 'quantitative', title: `test ${metric} of the best so far`, scale: { zero: false } } as const;
  const color = { field: 'series', type: 'nominal', title: null, scale: { domain: [...series], range: ['#1f6fb4', '#9aa3ad'] },
    ...(series.length === 1 ? { legend: null } : {}) } as const;
  // The fully trained series is the answer: drawn last, on top of the any-rung one.
  const of = (name: string) => ({ filter: `datum.series === ${JSON.stringify(name)}` });
  const [full, ...others] = series;
  return {
    id: `search-progress-${x}`,
    title: `Best configuration so far against ${x === 'epochs' ? 'epochs' : 'seconds'} of compute`,
    caption: `After each finished trial (each rung of a promoted ASHA trial counts): the mean test ${metric} over repeats of the configuration with the best mean validation ${metric} among the ` +
      'configurations with all their repeats in. Compute is summed over trials, so it exceeds wall time when trials run side by side.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 460,
      height: 220,
      data: { values: [...rows] },
      layer: [
        ...others.map((name, i) => ({ name: `other_line_${i}`, transform: [of(name)],
          mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 1.5, strokeDash: [5, 3] }, encoding: { x: X, y: Y, color } })),
        { name: 'best_line', transform: [of(full!)], mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2.5 }, encoding: { x: X, y: Y, color } },
        { name: 'improved', transform: [{ filter: 'datum.improved' }], mark: { type: 'point', filled: true, size: 40 }, encoding: { x: X, y: Y, color } },
      ],
    },
  };
}
