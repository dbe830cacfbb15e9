import type { SearchSummary } from '../results/search-summary.js';
import { searchedKeys } from '../results/search-summary.js';
import { ashaRungsChart, type RungDot } from './charts/asha-rungs.js';
import type { Chart } from './charts/chart.js';
import { type ParamAxis, paramAxis, type ParamDot, searchParamsChart } from './charts/search-params.js';
import { type ProgressRow, searchProgressChart } from './charts/search-progress.js';

/** The series names of the progress chart: fully trained, and (ASHA) at any rung. */
export function progressSeries(s: SearchSummary): { full: string; any: string | null } {
  return { full: `trained to ${s.fullEpochs} epochs`, any: s.rungsUsed ? 'at any rung' : null };
}

/** The best-so-far step line's corners: a row where the best changed, and one at the end of the compute. */
export function progressRows(s: SearchSummary): ProgressRow[] {
  const names = progressSeries(s);
  const series = [{ name: names.full, best: (i: number) => s.progress[i]!.best },
    ...(names.any ? [{ name: names.any, best: (i: number) => s.progress[i]!.bestAnyRung }] : [])];
  return series.flatMap(({ name, best }) => {
    const rows: ProgressRow[] = [];
    s.progress.forEach((step, i) => {
      const value = best(i);
      if (value != null && value !== rows.at(-1)?.best) rows.push({ epochs: step.epochs, seconds: step.seconds, best: value, series: name, improved: true });
    });
    const last = s.progress.at(-1);
    const reached = rows.at(-1);
    if (last && reached && reached.epochs !== last.epochs) rows.push({ ...reached, epochs: last.epochs, seconds: last.seconds, improved: false });
    return rows;
  });
}

/** One dot per configuration with a complete rung and searched parameter, and each parameter's axis. */
export function paramDots(s: SearchSummary): { dots: ParamDot[]; axes: Map<string, ParamAxis> } {
  const scored = s.configurations.filter((c) => c.top != null);
  const axes = new Map<string, ParamAxis>();
  const dots = searchedKeys(s.configurations).flatMap((param) => {
    const at = scored.filter((c) => c.point[param] !== undefined);
    if (at.length === 0) return [];
    axes.set(param, paramAxis(at.map((c) => c.point[param])));
    return at.map((c): ParamDot => {
      const v = c.point[param];
      return { param, value: typeof v === 'number' ? v : null, text: typeof v === 'string' ? v : JSON.stringify(v), score: c.top!.score.mean, rung: c.top!.rung };
    });
  });
  return { dots, axes };
}

/** Each configuration's complete rungs as dots, spread a little sideways so they do not hide each other. */
export function rungDots(s: SearchSummary): RungDot[] {
  const top = s.rungs.at(-1)?.rung ?? 0;
  const seen = new Map<number, number>();
  return s.configurations.flatMap((c) => c.rungs.filter((r) => r.complete).map((r): RungDot => {
    const k = seen.get(r.rung) ?? 0;
    seen.set(r.rung, k + 1);
    const offset = (((k * 0.618034) % 1) - 0.5) * 0.5;
    return { rung: r.rung, x: r.rung + offset, score: r.score.mean, fate: r.promoted ? 'promoted' : r.rung === top ? 'top rung' : 'stopped' };
  }));
}

/** A search's charts: progress against epochs and seconds, each parameter against the score, and ASHA's rungs. */
export function searchCharts(s: SearchSummary): Chart[] {
  const charts: Chart[] = [];
  const rows = progressRows(s);
  const names = progressSeries(s);
  const series = [names.full, ...(names.any ? [names.any] : [])];
  if (rows.length > 0) charts.push(searchProgressChart(rows, series, 'epochs', s.metric), searchProgressChart(rows, series, 'seconds', s.metric));
  const { dots, axes } = paramDots(s);
  if (dots.length > 0) charts.push(searchParamsChart(dots, axes, s.metric, s.rungsUsed ? s.rungs.map((r) => r.rung) : null));
  const rungs = rungDots(s);
  if (s.rungsUsed && rungs.length > 0) charts.push(ashaRungsChart(rungs, s.rungs, s.metric));
  return charts;
}
