import { METRIC_COLUMNS, metricRows, type PointSummary, TARGET_COLUMNS, TARGET_NOTE, targetRows } from '../../results/summary.js';
import { esc } from './escape.js';

/** A sortable table of text cells with its caption. */
export function table(id: string, columns: readonly string[], rows: readonly string[][], caption: string): string {
  return `<table class="sortable" id="${id}"><caption>${esc(caption)}</caption>
<thead><tr>${columns.map((c) => `<th scope="col"><button type="button">${esc(c)}</button></th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`;
}

/** Every metric and the time-to-target details, as summary.md has them; folded away. */
export function detailTables(summary: readonly PointSummary[]): string {
  return `<details id="details"><summary>Every metric, and time-to-target in detail</summary>
${table('metrics-table', METRIC_COLUMNS, metricRows(summary), 'Test scores per metric: mean ± 95% half-width over repeats; verdicts from the paired per-seed differences, or which model ended at chance.')}
${table('target-table', TARGET_COLUMNS, targetRows(summary), TARGET_NOTE)}
</details>`;
}
