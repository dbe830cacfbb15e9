import type { Estimate } from '../indicators/statistics.js';
import { formatEstimate, pointLabel } from './format-estimate.js';
import type { SearchSummary } from './search-summary.js';

/** `0.912 (95% CI 0.899 to 0.925, 2 repeats)`, or why there is no interval. */
export function intervalText(e: Estimate): string {
  const n = `${e.n} repeat${e.n === 1 ? '' : 's'}`;
  if (e.low == null || e.high == null) return `${e.mean.toFixed(3)} (${n}: no interval)`;
  return `${formatEstimate(e)} (95% CI ${e.low.toFixed(3)} to ${e.high.toFixed(3)}, ${n})`;
}

/** What was searched and what it cost, in one sentence. */
export function searchSpend(s: SearchSummary): string {
  return `${s.strategy} search: ${s.configurations.length} configuration${s.configurations.length === 1 ? '' : 's'} tried ` +
    `(${s.repeats} repeat${s.repeats === 1 ? '' : 's'} each), ${s.compute.epochs} epochs and ${s.compute.seconds.toFixed(1)} s of training ` +
    '(summed over trials' + (s.rungsUsed ? ' and rungs)' : ')');
}

/** How the best configuration is chosen, so a reader knows which ones competed. */
export function rankingRule(s: SearchSummary): string {
  const top = s.rungsUsed ? ` (the top rung reached, ${s.rungs.at(-1)?.rung ?? 0})` : '';
  return `Ranked by mean validation ${s.metric} over repeats, as the search ranked them (test ${s.metric} shown, never used to choose), among the ${s.ranked.length} configuration${s.ranked.length === 1 ? '' : 's'} ` +
    `with every repeat finished at ${s.fullEpochs} epochs${top}.`;
}

const RANKED_SHOWN = 10;

/** summary.md's part for a search: the best configuration with its interval, the leaders, the rungs. */
export function searchMarkdown(s: SearchSummary): string[] {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  const table = (columns: readonly string[], rows: readonly (readonly (string | number)[])[]) => [line(columns), line(columns.map(() => '---')), ...rows.map(line)];
  const best = s.ranked[0];
  return [
    '## Best configuration',
    '',
    `${searchSpend(s)}. ${rankingRule(s)}`,
    '',
    best ? `**Suggestion ${best.configuration.suggestion}**: ${pointLabel(best.configuration.point)}: test ${s.metric} ${intervalText(best.score.score)}`
      : `No configuration has every repeat finished at ${s.fullEpochs} epochs yet.`,
    '',
    ...(s.ranked.length > 1 ? [
      ...table(['rank', 'suggestion', 'configuration', 'n', `test ${s.metric}`],
        s.ranked.slice(0, RANKED_SHOWN).map((r, i) => [i + 1, r.configuration.suggestion, pointLabel(r.configuration.point), r.score.score.n, formatEstimate(r.score.score)])),
      ...(s.ranked.length > RANKED_SHOWN ? ['', `(${s.ranked.length - RANKED_SHOWN} more in search.csv)`] : []),
      '',
    ] : []),
    ...(s.rungsUsed ? ['## Rungs', '', ...table(['rung', 'epochs', 'configurations', 'promoted'], s.rungs.map((r) => [r.rung, r.epochs, r.reached, r.promoted])), ''] : []),
    ...(s.rungsUsed ? ['The tables below have every configuration at the highest rung it reached.', ''] : []),
  ];
}

/** search.csv: one row per configuration and rung, its score and its parameter values. */
export function searchCsv(s: SearchSummary): string {
  const keys = [...new Set(s.configurations.flatMap((c) => Object.keys(c.point)))];
  const cell = (v: unknown) => (v == null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const header = ['suggestion', 'point', 'rung', 'epochs', 'present', 'n', `${s.metric}_mean`, `${s.metric}_low`, `${s.metric}_high`, 'complete', 'promoted', ...keys];
  const rows = s.configurations.flatMap((c) => c.rungs.map((r) => [c.suggestion, c.pointId, r.rung, r.epochs, r.present, r.score.n,
    r.score.n > 0 ? r.score.mean : null, r.score.low, r.score.high, r.complete, r.promoted,
    ...keys.map((k) => (typeof c.point[k] === 'string' ? c.point[k] : JSON.stringify(c.point[k])))]));
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
