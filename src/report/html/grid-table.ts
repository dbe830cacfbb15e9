import type { Metric } from '../../config/resolved.js';
import type { Estimate } from '../../indicators/statistics.js';
import { formatEstimate } from '../../results/format-estimate.js';
import { type PointSummary, reachedCounts, speedupText } from '../../results/summary.js';
import { shortLabel } from '../grid-axes.js';
import { esc } from './escape.js';

interface Cell {
  readonly html: string;
  /** What the column sorts by; also what "best" compares. */
  readonly value: number | string | null;
}

interface Column {
  readonly title: string;
  /** Higher is better: the best row gets a mark. */
  readonly best?: boolean;
  readonly cell: (s: PointSummary) => Cell;
}

const num = (e: Estimate, digits = 3): Cell => ({ html: esc(formatEstimate(e, digits)), value: e.n > 0 ? e.mean : null });

function columns(keys: readonly string[]): Column[] {
  const primary = (s: PointSummary) => s.metrics[0]!;
  return [
    { title: 'grid point', cell: (s) => ({ html: esc(shortLabel(s.point, keys)), value: shortLabel(s.point, keys) }) },
    { title: 'repeats', cell: (s) => {
      const problems = [s.failed ? `${s.failed} failed` : '', s.diverged ? `${s.diverged} diverged` : ''].filter(Boolean).join(', ');
      return { html: `${s.repeats - s.failed}${problems ? ` <span class="problem">(${esc(problems)})</span>` : ''}`, value: s.repeats - s.failed };
    } },
    { title: 'transfer-only', best: true, cell: (s) => num(primary(s).transferOnly) },
    { title: 'final', best: true, cell: (s) => num(primary(s).final) },
    { title: 'scratch', cell: (s) => num(primary(s).scratch) },
    { title: 'final − scratch', best: true, cell: (s) => num(primary(s).difference) },
    { title: 'verdict', cell: (s) => {
      const m = primary(s);
      const kind = m.verdict.includes(' ') ? 'chance' : m.verdict;
      return { html: `<span class="verdict ${kind}">${esc(m.verdict)}</span><small>${esc(m.why)}</small>`, value: m.verdict };
    } },
    { title: 'speed-up (epochs)', best: true, cell: (s) => {
      const t = s.timeToTarget;
      return { html: esc(speedupText(t)), value: t && t.speedup.epochs.n > 0 ? t.speedup.epochs.mean : null };
    } },
    { title: 'reached target: transfer / scratch', cell: (s) => {
      const r = reachedCounts(s);
      return r ? { html: `${r.transfer}/${r.of} / ${r.scratch}/${r.of}`, value: r.transfer } : { html: '-', value: null };
    } },
  ];
}

/**
 * The grid points with the three indicators and their intervals; sortable by any
 * column; the best value of each indicator column marked (ties all, unless every
 * row ties).
 */
export function gridTable(summary: readonly PointSummary[], keys: readonly string[], metric: Metric): string {
  const cols = columns(keys);
  const cells = summary.map((s) => cols.map((c) => c.cell(s)));
  const bestOf = cols.map((c, i) => {
    if (!c.best) return null;
    const values = cells.map((row) => row[i]!.value).filter((v): v is number => typeof v === 'number');
    const max = Math.max(...values);
    return values.length > 1 && values.some((v) => v !== max) ? max : null;
  });
  const head = cols.map((c) => `<th scope="col"><button type="button">${esc(c.title)}</button></th>`).join('');
  const rows = cells.map((row) => `<tr>${row.map((cell, i) => {
    const best = bestOf[i] != null && cell.value === bestOf[i];
    const value = cell.value == null ? '' : String(cell.value);
    return `<td data-value="${esc(value)}"${best ? ' class="best" title="best in this column"' : ''}>${cell.html}${best ? ' <span class="star" aria-label="best">★</span>' : ''}</td>`;
  }).join('')}</tr>`).join('\n');
  return `<table class="sortable" id="grid-table">
<caption>Test ${esc(metric)} per grid point: mean ± 95% confidence half-width over repeats (Student t). Final − scratch is paired by seed;
speed-up = scratch epochs / transfer epochs to the target, geometric mean [95% interval] over the repeats where both reached it. Click a heading to sort; ★ best in its column.</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}
