import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../config/experiment.generated.js';
import type { ResolvedExperiment, ResolvedSearch } from '../config/resolved.js';
import { hashOf } from '../plan/canonical-hash.js';
import { affordable, budgetUse } from '../plan/search/budget.js';
import { searchStrategy } from '../plan/search/index.js';
import { type History, isProposal, type Outcome, pointIdOf, type Suggestion } from '../plan/search/strategy.js';
import { pointTrials, type Trial, unswept } from '../plan/trials.js';
import { validationScore } from '../results/objective.js';
import { type JournalLine, ownerOf, underJournal } from '../results/search-journal.js';
import type { TrialRecord } from '../results/trial-record.js';
import { latestRecords, readTrials } from '../results/trials-log.js';
import type { RunObserver } from './run-experiment.js';
import type { TrialExtra, TrialRunner } from './trial-runner.js';

export interface SearchContext {
  readonly raw: Experiment;
  readonly experiment: ResolvedExperiment & { readonly search: ResolvedSearch };
  /** The run folder the journal and checkpoints are in: the parent of shard folders, shared by every shard. */
  readonly searchDir: string;
  /** This process's own trials.jsonl (its shard's). */
  readonly trialsPath: string;
  /** Who this process is in the journal: its shard, or `main`. */
  readonly owner: string;
  /** Workers in the pool: configurations run at once are enough to keep them busy. */
  readonly concurrency: number;
  readonly observer?: RunObserver;
}

/**
 * The journal of a search: in the run folder, named by what its suggestions
 * depend on (strategy, space, seed, settings, repeats; not the budget, so a larger
 * budget continues the same journal).
 */
export function journalPath(searchDir: string, experiment: ResolvedExperiment & { readonly search: ResolvedSearch }): string {
  const { budget: _budget, ...identity } = experiment.search;
  return join(searchDir, `search-${hashOf({ ...identity, repeats: experiment.repeats }, 8)}.jsonl`);
}

/**
 * Runs a search: asks the strategy for configurations while the budget lasts and
 * workers are free, runs each one's repeats on the runner, and records what they
 * came to. Every step goes through the journal under its lock, so a rerun after a
 * kill continues exactly where the journal stops (its own unfinished suggestions
 * first, in order), and shards sharing the run folder run one search.
 */
export async function runSearch(runner: TrialRunner, context: SearchContext): Promise<void> {
  const { experiment } = context;
  const path = journalPath(context.searchDir, experiment);
  const strategy = searchStrategy(experiment.search, experiment);
  const single = unswept(context.raw);
  const me = ownerOf(context.owner);
  const inFlight = new Map<number, Promise<void>>();
  const width = Math.max(1, Math.ceil(context.concurrency / experiment.repeats));
  let finished = false;
  for (;;) {
    while (!finished && !runner.interrupted && inFlight.size < width) {
      type Taken = { suggestion: Suggestion; before?: Suggestion };
      const next = await underJournal<Taken | { wait: string } | { done: string }>(path, ({ history, owners }) => {
        const taken = (suggestion: Suggestion): Taken => ({ suggestion, ...(suggestion.continues != null ? { before: history.suggestions[suggestion.continues]! } : {}) });
        // Its own suggestions a killed run of this owner left without an outcome come first.
        const left = history.suggestions.find((s) => !history.outcomes.has(s.index) && owners.get(s.index)?.owner === me.owner && !inFlight.has(s.index));
        if (left) return { lines: [], value: taken(left) };
        const proposed = strategy.next(history, affordable(experiment.search.budget, history, experiment.repeats));
        if (!isProposal(proposed)) return { lines: [], value: proposed };
        const suggestion: Suggestion = { ...proposed, index: history.suggestions.length, pointId: pointIdOf(proposed.point) };
        const line: JournalLine = { kind: 'suggest', at: new Date().toISOString(), ...suggestion, ...me };
        reportBudget(context, { suggestions: [...history.suggestions, suggestion], outcomes: history.outcomes });
        return { lines: [line], value: taken(suggestion) };
      });
      if (!('suggestion' in next)) {
        // A strategy that waits on running configurations asks again when one finishes; with none running, nothing will change.
        if ('done' in next || inFlight.size === 0) finished = true;
        break;
      }
      const { suggestion: s, before } = next;
      inFlight.set(s.index, runConfiguration(runner, context, path, s, before, single).finally(() => inFlight.delete(s.index)));
    }
    if (inFlight.size === 0) return;
    await Promise.race(inFlight.values());
  }
}

/** One configuration: its repeats trained (or continued) to its epochs, unless their records are there already, and its outcome recorded. */
async function runConfiguration(
  runner: TrialRunner, context: SearchContext, path: string, s: Suggestion, before: Suggestion | undefined, single: Experiment,
): Promise<void> {
  const { experiment } = context;
  const trials = pointTrials(single, s.point, s.pointId, experiment);
  const checkpoint = (t: Trial, epochs: number) => join(context.searchDir, 'checkpoints', `${t.id}-e${epochs}`);
  // A record of the same trial trained as far counts, whichever search (or grid) wrote it; ASHA's must be its own, at this rung.
  const asha = experiment.search.strategy === 'asha';
  const reached = (r: TrialRecord) => r.status !== 'failed' && (r.search != null ? r.search.epochs === s.epochs : !asha);
  const known = new Map(latestRecords(readTrials(context.trialsPath)).filter(reached).map((r) => [r.trial, r]));
  const todo = trials.filter((t) => !known.has(t.id));
  const top = s.epochs >= experiment.train.epochs;
  const extra = (t: Trial): TrialExtra => ({
    search: { strategy: experiment.search.strategy, suggestion: s.index, ...(s.rung != null ? { rung: s.rung } : {}), epochs: s.epochs, addedEpochs: s.epochs - (before?.epochs ?? 0) },
    ...(asha ? {
      rung: { until: s.epochs, ...(before ? { resumeFrom: checkpoint(t, before.epochs) } : {}), ...(top ? {} : { saveTo: checkpoint(t, s.epochs) }) },
    } : {}),
  });
  const records = [...trials.flatMap((t) => known.get(t.id) ?? []), ...await runner.run(todo, extra)];
  if (records.length < trials.length) return; // cut short by an interruption: the next run does it
  const outcome = outcomeOf(s.index, records, experiment.metrics[0]!);
  await underJournal(path, ({ history: now }) => {
    const lines: JournalLine[] = now.outcomes.has(s.index) ? [] : [{ kind: 'outcome', at: new Date().toISOString(), ...outcome }];
    reportBudget(context, { suggestions: now.suggestions, outcomes: new Map(now.outcomes).set(s.index, outcome) });
    return { lines, value: undefined };
  });
  // The continuation is recorded: the checkpoint it started from is no longer needed.
  if (before) for (const t of trials) rmSync(checkpoint(t, before.epochs), { recursive: true, force: true });
}

/** Tells the observer how much of the budget the journal's suggestions have committed. */
function reportBudget(context: SearchContext, history: History): void {
  const use = budgetUse(context.experiment.search.budget, history, context.experiment.repeats);
  if (use) context.observer?.budget?.(use);
}

/** A configuration's outcome: the mean validation score of its repeats; one failed or diverged repeat makes it so. */
export function outcomeOf(index: number, records: readonly TrialRecord[], metric: ResolvedExperiment['metrics'][number]): Outcome {
  if (records.some((r) => r.status === 'failed')) return { index, status: 'failed', score: null };
  const scores = records.map((r) => validationScore(r, metric));
  if (records.some((r) => r.status === 'diverged') || scores.some((v) => v == null)) return { index, status: 'diverged', score: null };
  return { index, status: 'ok', score: (scores as number[]).reduce((a, b) => a + b, 0) / scores.length };
}

