import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Metric, ResolvedExperiment } from '../config/resolved.js';
import { writeFileAtomic } from './atomic-write.js';
import type { SourceScores } from './manifest.js';
import { searchCsv, searchMarkdown } from './search-markdown.js';
import { fullEpochsOf, inSuggestionOrder, searchSummary } from './search-summary.js';
import { summarize, summaryCsv, summaryMarkdown, type PointSummary } from './summary.js';
import type { TrialRecord } from './trial-record.js';
import { readTrials } from './trials-log.js';

/**
 * summary.csv and summary.md from the run's records and sources, and the exported
 * models pruned to the export rule. A search also gets its best configuration in
 * summary.md and search.csv, from `log`: the whole trial log, superseded ASHA rungs
 * included (default: RUN_DIR/trials.jsonl).
 */
export function writeRunSummary(
  runDir: string, records: readonly TrialRecord[], experiment: ResolvedExperiment, sources: readonly SourceScores[] = [],
  log?: readonly TrialRecord[],
): { summary: PointSummary[]; exported?: string } {
  const metric = experiment.metrics[0]!;
  let summary = summarize(records, metric, sources);
  let preface: string[] = [];
  if (records.some((r) => r.search != null)) {
    const raw = log ?? readTrials(join(runDir, 'trials.jsonl'));
    const search = searchSummary(raw.some((r) => r.search != null) ? raw : records, metric, experiment.repeats);
    if (search) {
      summary = inSuggestionOrder(summary, search);
      writeFileAtomic(join(runDir, 'search.csv'), searchCsv(search));
      preface = searchMarkdown(search);
    }
  }
  writeFileAtomic(join(runDir, 'summary.csv'), summaryCsv(summary));
  writeFileAtomic(join(runDir, 'summary.md'), summaryMarkdown(summary, experiment.name, metric, sources, preface));
  const exported = keepExports(runDir, records, experiment);
  return { summary, ...(exported ? { exported } : {}) };
}

/**
 * export: best keeps the model of the trial with the best primary test metric and
 * removes the others (a resumed run compares old and new trials alike).
 */
function keepExports(runDir: string, records: readonly TrialRecord[], experiment: ResolvedExperiment): string | undefined {
  const dir = join(runDir, 'models');
  if (experiment.export === 'none' || !existsSync(dir)) return undefined;
  if (experiment.export === 'all') return dir;
  const best = bestTrial(records, experiment.metrics[0]!, (r) => existsSync(join(dir, r.trial)));
  for (const name of readdirSync(dir)) if (name !== best?.trial) rmSync(join(dir, name), { recursive: true, force: true });
  return best ? join(dir, best.trial) : undefined;
}


/**
 * The ok trial with the best primary test score (ties: the first id) among those
 * `where` admits. In a search only trials trained to the most epochs any reached
 * compete: an ASHA trial stopped at a low rung is not a finished model.
 */
export function bestTrial(records: readonly TrialRecord[], metric: Metric, where: (r: TrialRecord) => boolean = () => true): TrialRecord | undefined {
  const full = fullEpochsOf(records);
  return records.filter((r) => r.status === 'ok' && (r.search == null || r.search.epochs === full) && where(r))
    .sort((a, b) => (b.test?.[metric] ?? -1) - (a.test?.[metric] ?? -1) || (a.trial < b.trial ? -1 : 1))[0];
}
