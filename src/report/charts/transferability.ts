import type { Metric } from '../../config/resolved.js';
import { type Chart, CONFIG, SCHEMA } from './chart.js';

/** Final score of the grid points that share everything but the freeze depth. */
export interface DepthRow {
  readonly frozen: number;
  /** The freeze rule as written (`all`, `1`, `none`). */
  readonly freeze: string;
  /** The other varying parameters; one line each. */
  readonly group: string;
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

export interface DepthData {
  readonly rows: readonly DepthRow[];
  /** Transfer-only (frozen features, a probe) over every repeat. */
  readonly transferOnly: number | null;
  readonly scratch: readonly { readonly group: string; readonly mean: number }[];
}

/**
 * Yosinski et al.'s transferability curve: final score against the number of
 * frozen source layers, with transfer-only and scratch as reference lines.
 */
export function transferabilityChart(data: DepthData, metric: Metric): Chart {
  // One line needs no legend; several are told apart by their other parameters.
  const single = new Set(data.rows.map((r) => r.group)).size <= 1;
  const color = { field: 'group', type: 'nominal', title: null, ...(single ? { legend: null } : {}) } as const;
  const Y = { type: 'quantitative', title: `test ${metric}`, scale: { zero: false } } as const;
  // Ticks at the depths the grid tried, named by their freeze rule: `5 (all)`.
  const depths = [...new Map(data.rows.map((r) => [r.frozen, r.freeze])).entries()].sort(([a], [b]) => a - b);
  const tick = (n: number, rule: string) => (rule === String(n) ? String(n) : `${n} (${rule.replaceAll("'", '')})`);
  const labelExpr = depths.reduce((expr, [n, rule]) => `datum.value === ${n} ? '${tick(n, rule)}' : ${expr}`, 'datum.label');
  // Lines side by side, not on top of each other: a few pixels apart at each depth.
  const groups = [...new Set(data.rows.map((r) => r.group))].sort();
  const spread = 0.02 * Math.max(1, ...data.rows.map((r) => r.frozen));
  const dodge = (group: string) => (groups.indexOf(group) - (groups.length - 1) / 2) * spread;
  const X = { field: 'x', type: 'quantitative', title: 'frozen source layers', scale: { padding: 24 },
    axis: { values: depths.map(([n]) => n), labelExpr } } as const;
  const DASH = { field: 'label', type: 'nominal', title: null, scale: { domain: ['transfer-only', 'scratch'], range: [[6, 4], [2, 3]] } } as const;
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  return {
    id: 'transferability',
    title: 'Transferability: final score against freeze depth',
    caption: `Test ${metric} after training against the number of frozen source layers (mean and 95% interval over repeats, clipped to [0, 1]). ` +
      'Reference lines: transfer-only (a probe on the frozen features, nothing trained but the probe) and the scratch baseline.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 460,
      height: 260,
      data: {
        values: [
          ...data.rows.map((r) => ({ kind: 'depth', ...r, x: r.frozen + dodge(r.group) })),
          ...(data.transferOnly == null ? [] : [{ kind: 'transfer-only', mean: data.transferOnly, label: 'transfer-only' }]),
          ...data.scratch.map((s) => ({ kind: 'scratch', ...s, label: 'scratch' })),
        ],
      },
      layer: [
        { name: 'interval', transform: only('depth'), mark: { type: 'rule', strokeWidth: 2 },
          encoding: { x: X, y: { field: 'low', ...Y }, y2: { field: 'high' }, color } },
        { name: 'depth_line', transform: only('depth'), mark: { type: 'line', strokeWidth: 1.5 },
          encoding: { x: X, y: { field: 'mean', ...Y }, color } },
        { name: 'final', transform: only('depth'), mark: { type: 'point', filled: true, size: 60 },
          encoding: { x: X, y: { field: 'mean', ...Y }, color } },
        { name: 'transfer_only', transform: only('transfer-only'), mark: { type: 'rule', color: '#111' },
          encoding: { y: { field: 'mean', ...Y }, strokeDash: DASH } },
        { name: 'scratch', transform: only('scratch'), mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: { y: { field: 'mean', ...Y }, color, strokeDash: DASH } },
      ],
    },
  };
}
