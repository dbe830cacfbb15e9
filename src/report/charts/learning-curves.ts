import type { Metric } from '../../config/resolved.js';
import type { CurveRow, Crossing } from '../curves.js';
import { ARM_COLOR, type Chart, CONFIG, SCHEMA } from './chart.js';

export interface CurveData {
  readonly curves: readonly CurveRow[];
  readonly targets: readonly { readonly point: string; readonly target: number }[];
  readonly crossings: readonly Crossing[];
  /** Grid point labels in grid order: one panel each. */
  readonly points: readonly string[];
}

/**
 * Validation score against epochs or wall seconds, one panel per grid point:
 * transfer and scratch mean lines in their 95% bands, the target as a dashed rule
 * and a diamond where each repeat first reached it.
 */
export function learningCurveChart(data: CurveData, x: 'epoch' | 'seconds', metric: Metric): Chart {
  const xTitle = x === 'epoch' ? 'epoch' : 'wall seconds since training began';
  const X = { field: x, type: 'quantitative', title: xTitle, ...(x === 'epoch' ? { axis: { tickMinStep: 1 } } : {}) } as const;
  const Y = { type: 'quantitative', title: `validation ${metric}`, scale: { zero: false } } as const;
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  return {
    id: x === 'epoch' ? 'curves-epochs' : 'curves-seconds',
    title: `Learning curves against ${x === 'epoch' ? 'epochs' : 'wall seconds'}`,
    caption: `Validation ${metric} of the transferred model and of the scratch baseline: mean over repeats with its 95% band; ` +
      'dashed: the time-to-target score (mean over repeats); diamonds: where each repeat first reached its own target.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: {
        values: [
          ...data.curves.map((c) => ({ kind: 'curve', ...c })),
          ...data.targets.map((t) => ({ kind: 'target', ...t })),
          ...data.crossings.map((c) => ({ kind: 'crossing', ...c })),
        ],
      },
      facet: { field: 'point', type: 'nominal', title: null, sort: [...data.points] },
      columns: Math.min(3, Math.max(1, data.points.length)),
      spec: {
        width: 230,
        height: 160,
        layer: [
          { name: 'band', transform: only('curve'), mark: { type: 'area', opacity: 0.18 },
            encoding: { x: X, y: { field: 'low', ...Y }, y2: { field: 'high' }, color: ARM_COLOR } },
          { name: 'mean', transform: only('curve'), mark: { type: 'line', strokeWidth: 2 },
            encoding: { x: X, y: { field: 'mean', ...Y }, color: ARM_COLOR } },
          { name: 'target', transform: only('target'), mark: { type: 'rule', strokeDash: [5, 4], color: '#444' },
            encoding: { y: { field: 'target', ...Y } } },
          { name: 'crossing', transform: only('crossing'), mark: { type: 'point', shape: 'diamond', filled: true, size: 70, opacity: 0.85 },
            encoding: { x: X, y: { field: 'target', ...Y }, color: ARM_COLOR } },
        ],
      },
    },
  };
}
