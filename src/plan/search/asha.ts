import type { Dimension } from './space.js';
import {
  freshRandomPoint, type History, type Outcome, pendingSuggestions, type Proposal, type Strategy, type Suggestion,
  suggestionRandom, takenPoints,
} from './strategy.js';

export interface AshaSettings {
  readonly minEpochs: number;
  readonly reduction: number;
  /** The top rung: train.epochs. */
  readonly maxEpochs: number;
}

/** The rungs' epochs: minEpochs x reduction^k below maxEpochs, then maxEpochs itself. */
export function ashaRungs({ minEpochs, reduction, maxEpochs }: AshaSettings): number[] {
  const rungs: number[] = [];
  for (let e = minEpochs; e < maxEpochs; e *= reduction) rungs.push(e);
  rungs.push(maxEpochs);
  return rungs;
}

/**
 * Asynchronous successive halving (Li et al., 2020): whenever a worker is free,
 * continue the best configuration of the highest rung that has one to promote (it
 * is among the top 1/reduction of the configurations finished at that rung and
 * not yet continued), else start a new random configuration at the lowest rung.
 * A configuration's result at a rung is the mean over its repeats (the paired
 * seeds), so a promotion compares configurations, not lucky seeds.
 */
export function ashaStrategy(dims: readonly Dimension[], seed: number, settings: AshaSettings): Strategy {
  const rungs = ashaRungs(settings);
  return {
    next: (history, affordable) => {
      for (let k = rungs.length - 2; k >= 0; k--) {
        for (const from of promotable(history, k, settings.reduction)) {
          const p: Proposal = { point: from.point, epochs: rungs[k + 1]!, rung: k + 1, continues: from.index };
          if (affordable(p)) return p;
        }
      }
      const point = freshRandomPoint(dims, suggestionRandom(seed, 'asha', history.suggestions.length), takenPoints(history));
      const fresh: Proposal | undefined = point == null ? undefined : { point, epochs: rungs[0]!, rung: 0 };
      if (fresh != null && affordable(fresh)) return fresh;
      return pendingSuggestions(history).length > 0 ? { wait: 'promotions wait for running configurations' } : { done: fresh == null ? 'every point of the space has been proposed' : 'the budget is spent' };
    },
  };
}

/** The suggestions at rung k that may be continued to k + 1, best first. */
export function promotable(history: History, k: number, reduction: number): Suggestion[] {
  const atRung = history.suggestions.filter((s) => (s.rung ?? 0) === k);
  const finished = atRung
    .map((s) => ({ s, o: history.outcomes.get(s.index) }))
    .filter((e): e is { s: Suggestion; o: Outcome & { score: number } } => e.o?.status === 'ok' && e.o.score != null)
    .sort((a, b) => b.o.score - a.o.score || a.s.index - b.s.index);
  const continued = new Set(history.suggestions.filter((s) => s.continues != null).map((s) => s.continues));
  return finished.slice(0, Math.floor(finished.length / reduction)).map((e) => e.s).filter((s) => !continued.has(s.index));
}

/** ASHA's next step as text, for `tlx plan`: the rungs. */
export function describeRungs(settings: AshaSettings): string {
  return ashaRungs(settings).map((e) => `${e} epoch${e === 1 ? '' : 's'}`).join(' -> ');
}

