import type { Verdict } from '../../indicators/statistics.js';
import { formatEstimate } from '../../results/format-estimate.js';
import { shortLabel } from '../grid-axes.js';
import { type RunData, runKeys } from '../load-run.js';
import { esc } from './escape.js';
import { type Figure, figure } from './figure.js';
import { configurationLabel, searchSection } from './search-section.js';
import { detailTables } from './detail-tables.js';
import { gridTable } from './grid-table.js';
import { chanceBox, sourceSection } from './source-section.js';
import { environmentSection, setupSection } from './setup.js';
import { SORT_SCRIPT } from './sort-script.js';
import { STYLE } from './style.js';
import { trialsTable } from './trials-table.js';
import { mistakesTable } from './best-trial.js';

export type { Figure } from './figure.js';

// The answer at a glance: how the trials went and what the verdicts say.
function headline(run: RunData, keys: readonly string[]): string {
  const count = (status: string) => run.records.filter((r) => r.status === status).length;
  const counted = (v: Verdict) => run.summary.filter((s) => s.metrics[0]!.verdict === v).length;
  const verdicts = (['positive', 'negative', 'inconclusive'] as const).map((v) => `${counted(v)} ${v}`);
  const chance = (['nothing learned', 'scratch at chance', 'transfer at chance'] as const).filter((v) => counted(v) > 0).map((v) => `, ${counted(v)} ${v}`).join('');
  const best = [...run.summary].filter((s) => s.metrics[0]!.final.n > 0).sort((a, b) => b.metrics[0]!.final.mean - a.metrics[0]!.final.mean)[0];
  const box = (label: string, value: string, detail: string) => `<div>${esc(label)}<strong>${esc(value)}</strong><small>${esc(detail)}</small></div>`;
  const trials = box('trials', `${count('ok')} ok`, `${count('diverged')} diverged, ${count('failed')} failed of ${run.manifest.trials} planned`);
  if (run.search) return searchHeadline(run, keys, trials, `${verdicts[1]}, ${verdicts[2]}${chance}`, verdicts[0]!);
  return `<div class="answer">
${trials}
${box('final vs scratch', verdicts[0]!, `${verdicts[1]}, ${verdicts[2]}${chance} of ${run.summary.length} grid points`)}
${best ? box(`best final ${run.metric}`, best.metrics[0]!.final.mean.toFixed(3), shortLabel(best.point, keys)) : ''}
</div>`;
}

// A search's answer: its best fully trained configuration with the interval, and what the search cost.
function searchHeadline(run: RunData, keys: readonly string[], trials: string, verdictDetail: string, positive: string): string {
  const s = run.search!;
  const box = (label: string, value: string, detail: string) => `<div>${esc(label)}<strong>${esc(value)}</strong><small>${esc(detail)}</small></div>`;
  const best = s.ranked[0];
  return `<div class="answer">
${trials}
${box('search', `${s.configurations.length} configurations`, `${s.strategy}: ${s.compute.epochs} epochs, ${s.compute.seconds.toFixed(0)} s of training`)}
${best ? box(`best configuration, test ${run.metric}`, formatEstimate(best.score.score), `${configurationLabel(best.configuration.point, keys)} (suggestion ${best.configuration.suggestion})`) : ''}
${box('final vs scratch', positive, `${verdictDetail} of ${run.summary.length} configurations`)}
</div>`;
}

/** The whole report: one HTML file with its CSS, SVG charts and sorting script inline. */
export function reportPage(run: RunData, figures: readonly Figure[]): string {
  const e = run.manifest.config;
  const keys = runKeys(run);
  const byId = (id: string) => figures.find((f) => f.chart.id === id);
  const sweep = [figure(byId('transferability')), figure(byId('heatmap'))].filter(Boolean).join('\n');
  const best = [figure(byId('confusion')), mistakesTable(run.records, run.metric)].filter(Boolean).join('\n');
  const empty = run.records.length === 0 ? '<p class="empty">No trial has finished yet.</p>' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(e.name)} — tlx report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${esc(e.name)}</h1>
<p class="subtitle">tlx report of run ${esc(run.manifest.runId)}${run.manifest.status === 'running' ? ' (not finished: the numbers cover the trials done so far)' : ''}</p>
${headline(run, keys)}
${chanceBox(run.summary, run.manifest.sources ?? [])}
${setupSection(e, run.notes, run.manifest.trials)}
${sourceSection(run.manifest.sources ?? [], run.manifest.embeddings ?? [])}
${run.search ? `${searchSection(run.search, keys, figures)}\n` : ''}<section id="results"><h2>${run.search ? 'Configurations' : 'Grid points'}</h2>
${empty}${gridTable(run.summary, keys, run.metric)}
${detailTables(run.summary)}
</section>
<section id="curves"><h2>Learning curves</h2>
${figure(byId('curves-epochs'))}
${figure(byId('curves-seconds'))}
</section>
${sweep ? `<section id="sweep"><h2>Across the sweep</h2>\n${sweep}\n</section>` : ''}
${best ? `<section id="best"><h2>Best trial</h2>\n${best}\n</section>` : ''}
<section id="trials"><h2>Trials</h2>
${trialsTable(run.records, run.summary.map((s) => s.pointId), keys, run.metric)}
</section>
${environmentSection(run.manifest)}
<footer>Made by tlx ${esc(run.manifest.environment.tlx)} from ${esc(run.dir)}. Charts drawn with Vega-Lite at report time; this file needs no network.</footer>
</main>
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
