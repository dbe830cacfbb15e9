import type { Metric } from '../../config/resolved.js';
import type { TrialRecord } from '../../results/trial-record.js';
import { shortLabel } from '../grid-axes.js';
import { esc } from './escape.js';

const score = (v: number | undefined) => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(3));

/** Every trial with its status, in grid order; failed and diverged ones say so, with their error. */
export function trialsTable(records: readonly TrialRecord[], pointOrder: readonly string[], keys: readonly string[], metric: Metric): string {
  const rank = (r: TrialRecord) => pointOrder.indexOf(r.pointId);
  const rows = [...records].sort((a, b) => rank(a) - rank(b) || a.repeat - b.repeat).map((r) => {
    const d = r.indicators?.finalVsScratch?.difference;
    const note = r.status === 'failed' ? r.error?.message ?? 'failed'
      : r.status === 'diverged' ? 'the loss became NaN or infinite; training stopped' : '';
    return `<tr class="status-${r.status}"><td class="id">${esc(r.trial)}</td><td>${esc(shortLabel(r.point, keys))}</td><td>${r.seed}</td>` +
      `<td><span class="status ${r.status}">${r.status}</span></td><td>${score(r.test?.[metric])}</td><td>${score(r.scratch?.test[metric])}</td>` +
      `<td>${d == null ? '-' : (d >= 0 ? '+' : '') + d.toFixed(3)}</td><td>${r.curve?.length ?? '-'}</td>` +
      `<td>${r.seconds == null ? '-' : r.seconds.toFixed(1)}</td><td class="error">${esc(note)}${r.error?.code ? ` <code>${esc(r.error.code)}</code>` : ''}</td></tr>`;
  });
  return `<table class="sortable" id="trials-table">
<caption>Every trial: test ${esc(metric)} of the transferred model and of its scratch baseline (same seed and data split).</caption>
<thead><tr>${['trial', 'grid point', 'seed', 'status', 'final', 'scratch', 'final − scratch', 'epochs', 'seconds', 'error']
    .map((t) => `<th scope="col"><button type="button">${t}</button></th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}
