import type { TopLevelSpec } from 'vega-lite';
import type { LrSweep } from '../../train/lr-sweep.js';
import { CONFIG, SCHEMA } from './chart.js';

/**
 * The learning-rate range test as a figure: the batch losses and their smoothed
 * curve against the learning rate (log scale), the suggestion as a dashed rule.
 */
export function lrFindSpec(sweep: LrSweep): TopLevelSpec {
  const X = { field: 'learningRate', type: 'quantitative', title: 'learning rate', scale: { type: 'log' } } as const;
  const Y = { type: 'quantitative', title: 'training loss', scale: { zero: false } } as const;
  return {
    $schema: SCHEMA,
    config: CONFIG,
    width: 480,
    height: 260,
    title: `learning-rate range test: suggested ${sweep.suggestion.learningRate.toPrecision(2)} (${sweep.suggestion.rule})`,
    data: { values: sweep.points.filter((p) => Number.isFinite(p.loss) && Number.isFinite(p.smoothed)).map((p) => ({ ...p })) },
    layer: [
      { mark: { type: 'point', size: 12, opacity: 0.35, color: '#888' }, encoding: { x: X, y: { field: 'loss', ...Y } } },
      { mark: { type: 'line', strokeWidth: 2, color: '#1f6fb4' }, encoding: { x: X, y: { field: 'smoothed', ...Y } } },
      { data: { values: [{ learningRate: sweep.suggestion.learningRate }] }, mark: { type: 'rule', strokeDash: [5, 4], color: '#d95f02' }, encoding: { x: X } },
    ],
  };
}
