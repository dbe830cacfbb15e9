import { formatEstimate } from '../../results/format-estimate.js';
import { intervalText, rankingRule, searchSpend } from '../../results/search-markdown.js';
import type { SearchSummary } from '../../results/search-summary.js';
import type { GridPoint } from '../../plan/grid.js';
import { shortKey, valueText } from '../grid-axes.js';
import { table } from './detail-tables.js';
import { esc } from './escape.js';
import { type Figure, figure } from './figure.js';

/** `learningRate=0.001235, units=128`: a configuration with its real numbers cut to 4 significant digits. */
export function configurationLabel(point: GridPoint, keys: readonly string[]): string {
  return keys.map((k) => {
    const v = point[k];
    return `${shortKey(k)}=${typeof v === 'number' ? String(Number(v.toPrecision(4))) : valueText(v)}`;
  }).join(', ');
}

const RANKED_SHOWN = 10;

/** The best configuration in words, the leaders, ASHA's rungs and the search's charts. */
export function searchSection(s: SearchSummary, keys: readonly string[], figures: readonly Figure[]): string {
  const byId = (id: string) => figure(figures.find((f) => f.chart.id === id));
  const best = s.ranked[0];
  const answer = best
    ? `<p class="best-config">Best configuration: <strong>${esc(configurationLabel(best.configuration.point, keys))}</strong> ` +
      `(suggestion ${best.configuration.suggestion}), test ${esc(s.metric)} ${esc(intervalText(best.score.score))}.</p>`
    : `<p class="empty">No configuration has every repeat finished at ${s.fullEpochs} epochs yet.</p>`;
  const ranked = s.ranked.length > 1 ? table('search-ranked', ['rank', 'suggestion', 'configuration', 'repeats', `test ${s.metric}`],
    s.ranked.slice(0, RANKED_SHOWN).map((r, i) => [String(i + 1), String(r.configuration.suggestion), configurationLabel(r.configuration.point, keys),
      String(r.score.score.n), formatEstimate(r.score.score)]),
    `The best ${Math.min(RANKED_SHOWN, s.ranked.length)} of ${s.ranked.length} fully trained configurations: mean ± 95% half-width over repeats.`) : '';
  const rungs = s.rungsUsed ? table('search-rungs', ['rung', 'epochs', 'configurations', 'promoted', `best test ${s.metric}`],
    s.rungs.map((r) => {
      const at = s.configurations.flatMap((c) => c.rungs.filter((x) => x.rung === r.rung && x.complete).map((x) => x.score.mean));
      return [String(r.rung), String(r.epochs), String(r.reached), String(r.promoted), at.length > 0 ? Math.max(...at).toFixed(3) : '-'];
    }), 'ASHA: the configurations that reached each rung and how many of them were promoted to the next.') : '';
  return `<section id="search"><h2>Search</h2>
<p>${esc(searchSpend(s))}. ${esc(rankingRule(s))}</p>
${answer}
${ranked}
${byId('search-progress-epochs')}
${byId('search-progress-seconds')}
${byId('search-params')}
${rungs}
${byId('asha-rungs')}
</section>`;
}
