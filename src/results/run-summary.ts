import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Metric, ResolvedExperiment } from '../config/resolved.js';
import { writeFileAtomic } from './atomic-write.js';
import type { SourceScores } from './manifest.js';
import { summarize, summaryCsv, summaryMarkdown, type PointSummary } from './summary.js';
import type { TrialRecord } from './trial-record.js';

/** summary.csv and summary.md from the run's records and sources, and the exported models pruned to the export rule. */
export function writeRunSummary(
  runDir: string, records: readonly TrialRecord[], experiment: ResolvedExperiment, sources: readonly SourceScores[] = [],
): { summary: PointSummary[]; exported?: string } {
  const metric = experiment.metrics[0]!;
  const summary = summarize(records, metric, sources);
  writeFileAtomic(join(runDir, 'summary.csv'), summaryCsv(summary));
  writeFileAtomic(join(runDir, 'summary.md'), summaryMarkdown(summary, experiment.name, metric, sources));
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


/** The ok trial with the best primary test score (ties: the first id) among those `where` admits. */
export function bestTrial(records: readonly TrialRecord[], metric: Metric, where: (r: TrialRecord) => boolean = () => true): TrialRecord | undefined {
  return records.filter((r) => r.status === 'ok' && where(r))
    .sort((a, b) => (b.test?.[metric] ?? -1) - (a.test?.[metric] ?? -1) || (a.trial < b.trial ? -1 : 1))[0];
}
