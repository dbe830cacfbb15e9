import { estimate } from '../indicators/statistics.js';
import { formatEstimate } from '../results/format-estimate.js';
import { bestTrial } from '../results/run-summary.js';
import type { PointSummary } from '../results/summary.js';
import type { Chart } from './charts/chart.js';
import { confusionChart } from './charts/confusion.js';
import { heatmapChart } from './charts/heatmap.js';
import { learningCurveChart, type CurveData } from './charts/learning-curves.js';
import { type DepthData, transferabilityChart } from './charts/transferability.js';
import { clip01, crossings, curveRows } from './curves.js';
import { shortLabel, valueText } from './grid-axes.js';
import { type RunData, runKeys } from './load-run.js';
import { searchCharts } from './search-charts.js';

const FREEZE = 'transfer.freeze';

const measured = (run: RunData, s: PointSummary) => run.records.filter((r) => r.pointId === s.pointId && r.status !== 'failed');


function curveData(run: RunData, keys: readonly string[]): CurveData {
  const points = run.summary.map((s) => ({ label: shortLabel(s.point, keys), records: measured(run, s), target: s.timeToTarget?.target }));
  return {
    points: points.map((p) => p.label),
    curves: points.flatMap((p) => curveRows(p.label, p.records, run.metric)),
    targets: points.flatMap((p) => (p.target && p.target.n > 0 ? [{ point: p.label, target: p.target.mean }] : [])),
    crossings: points.flatMap((p) => crossings(p.label, p.records)),
  };
}

function depthData(run: RunData, keys: readonly string[]): DepthData {
  const others = keys.filter((k) => k !== FREEZE);
  const group = (s: PointSummary) => (others.length === 0 ? 'transfer' : shortLabel(s.point, others));
  const rows = run.summary.flatMap((s) => {
    const final = s.metrics[0]!.final;
    const frozen = measured(run, s).find((r) => r.frozen)?.frozen?.length;
    if (final.n === 0 || frozen == null) return [];
    return [{ frozen, freeze: valueText(s.point[FREEZE]), group: group(s), mean: final.mean, low: clip01(final.low ?? final.mean), high: clip01(final.high ?? final.mean) }];
  });
  const ok = run.records.filter((r) => r.status !== 'failed');
  const transferOnly = estimate(ok.flatMap((r) => r.indicators?.transferOnly?.test[run.metric] ?? []));
  const groups = [...new Set(run.summary.map(group))];
  const scratch = groups.flatMap((g) => {
    const e = estimate(run.summary.filter((s) => group(s) === g).flatMap((s) => measured(run, s)).flatMap((r) => r.scratch?.test[run.metric] ?? []));
    return e.n > 0 ? [{ group: g, mean: e.mean }] : [];
  });
  return { rows, transferOnly: transferOnly.n > 0 ? transferOnly.mean : null, scratch };
}

function heatmap(run: RunData, keys: readonly string[]): Chart | null {
  const [x, y] = keys as [string, string];
  const grid = run.manifest.config.grid;
  const cells = run.summary.flatMap((s) => {
    const final = s.metrics[0]!.final;
    return final.n > 0 ? [{ x: valueText(s.point[x]), y: valueText(s.point[y]), mean: final.mean, text: formatEstimate(final) }] : [];
  });
  if (cells.length === 0) return null;
  return heatmapChart(cells, { x, xValues: (grid[x] ?? []).map(valueText), y, yValues: (grid[y] ?? []).map(valueText) }, run.metric);
}

/** The charts a run's data calls for: curves, freeze depth, heatmap, confusion matrix; a search's progress, parameters and rungs. */
export function reportCharts(run: RunData): Chart[] {
  const keys = runKeys(run);
  const curves = curveData(run, keys);
  const charts = curves.curves.length === 0 ? [] : [learningCurveChart(curves, 'epoch', run.metric), learningCurveChart(curves, 'seconds', run.metric)];
  // A search's values are not a grid: no depth lines or heatmap cells to group them into.
  if (!run.search && keys.includes(FREEZE)) {
    const depth = depthData(run, keys);
    if (depth.rows.length > 0) charts.push(transferabilityChart(depth, run.metric));
  }
  if (!run.search && keys.length === 2) {
    const chart = heatmap(run, keys);
    if (chart) charts.push(chart);
  }
  const best = bestTrial(run.records, run.metric, (r) => r.confusion != null);
  if (best?.confusion) {
    const about = `${best.trial}: ${shortLabel(best.point, keys)}, test ${run.metric} ${best.test?.[run.metric]?.toFixed(3) ?? '-'}`;
    charts.push(confusionChart(best.confusion, run.classNames, about));
  }
  if (run.search) charts.push(...searchCharts(run.search));
  return charts;
}

