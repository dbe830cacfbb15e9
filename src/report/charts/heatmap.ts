import type { Metric } from '../../config/resolved.js';
import { shortKey } from '../grid-axes.js';
import { type Chart, CONFIG, SCHEMA } from './chart.js';

export interface HeatCell {
  readonly x: string;
  readonly y: string;
  readonly mean: number;
  /** `0.943 ± 0.028`, printed in the cell. */
  readonly text: string;
}

/** The primary metric over the two parameters the grid varies. */
export function heatmapChart(cells: readonly HeatCell[], axes: { x: string; xValues: readonly string[]; y: string; yValues: readonly string[] }, metric: Metric): Chart {
  const means = cells.map((c) => c.mean);
  // White text on the darker half of the colour scale.
  const middle = (Math.min(...means) + Math.max(...means)) / 2;
  const x = { field: 'x', type: 'ordinal', title: axes.x, sort: [...axes.xValues], axis: { labelAngle: 0 } } as const;
  const y = { field: 'y', type: 'ordinal', title: axes.y, sort: [...axes.yValues] } as const;
  return {
    id: 'heatmap',
    title: `Final ${metric} over ${shortKey(axes.x)} and ${shortKey(axes.y)}`,
    caption: `Test ${metric} of the transferred model, mean ± 95% half-width over repeats, for each combination of the two swept parameters.`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values: [...cells] },
      width: { step: 110 },
      height: { step: 44 },
      layer: [
        { name: 'cell', mark: 'rect',
          encoding: { x, y, color: { field: 'mean', type: 'quantitative', title: metric, scale: { scheme: 'blues' } } } },
        { name: 'cell_text', mark: { type: 'text', fontSize: 11 },
          encoding: { x, y, text: { field: 'text' }, color: { condition: { test: `datum.mean > ${middle}`, value: 'white' }, value: '#111' } } },
      ],
    },
  };
}
