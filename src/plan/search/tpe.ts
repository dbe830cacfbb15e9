import { choiceEstimator, type Estimator, numericEstimator } from './parzen.js';
import { randomProposal } from './random.js';
import { coordinateOf, type Dimension, valueAt } from './space.js';
import {
  affordableOr, type EpochsOf, freshRandomPoint, type History, pendingSuggestions, pointIdOf, type Strategy, suggestionRandom, takenPoints,
} from './strategy.js';

export interface TpeSettings {
  readonly startup: number;
  readonly candidates: number;
}

/** The size of the good group among n observations: 10% of them, at most 25, at least 1 (Optuna's default gamma). */
export function goodCount(n: number): number {
  return Math.max(1, Math.min(Math.ceil(0.1 * n), 25));
}

/**
 * The tree-structured Parzen estimator (Bergstra et al., 2011), univariate as
 * Optuna's default: the observations are split into the best `goodCount` and
 * the rest; per dimension a density of each group; `candidates` points drawn
 * from the good density, and the one with the largest ratio of good to bad
 * density proposed, skipping configurations already proposed. Configurations
 * still running count as bad ones (a constant liar), so concurrent workers are
 * not sent to the same place; diverged ones are bad; failed ones are ignored.
 */
export function tpeStrategy(dims: readonly Dimension[], seed: number, epochs: EpochsOf, settings: TpeSettings): Strategy {
  return {
    next: (history, affordable) => {
      const index = history.suggestions.length;
      if (index < settings.startup) return affordableOr(randomProposal(dims, seed, epochs, history), affordable);
      const { good, bad } = groups(history);
      if (good.length === 0) return affordableOr(randomProposal(dims, seed, epochs, history), affordable);
      const random = suggestionRandom(seed, 'tpe', index);
      const l = dims.map((d) => estimator(d, good.map((p) => coordinateOf(d, p[d.key]))));
      const g = dims.map((d) => estimator(d, bad.map((p) => coordinateOf(d, p[d.key]))));
      const taken = takenPoints(history);
      const candidates = Array.from({ length: settings.candidates }, () => {
        const x = l.map((e) => e.sample(random));
        const point = Object.fromEntries(dims.map((d, i) => [d.key, valueAt(d, x[i]!)]));
        // Scored where the value actually lies, after snapping to the values the dimension takes.
        const at = dims.map((d) => coordinateOf(d, point[d.key]));
        const score = at.reduce((s, xi, i) => s + l[i]!.logDensity(xi) - g[i]!.logDensity(xi), 0);
        return { point, score };
      }).sort((a, b) => b.score - a.score);
      const best = candidates.find((c) => !taken.has(pointIdOf(c.point)))?.point ?? freshRandomPoint(dims, random, taken);
      return affordableOr(best == null ? { done: 'every point of the space has been proposed' } : { point: best, epochs: epochs(best) }, affordable);
    },
  };
}

function estimator(dim: Dimension, xs: readonly number[]): Estimator {
  return dim.kind === 'choice' ? choiceEstimator(xs, dim.values.length) : numericEstimator(xs, dim.low, dim.high);
}

/** Finished configurations best first split into good and bad; running and diverged ones join the bad. */
function groups(history: History) {
  const scored = history.suggestions
    .map((s) => ({ s, o: history.outcomes.get(s.index) }))
    .filter((e) => e.o?.status === 'ok' && e.o.score != null)
    .sort((a, b) => b.o!.score! - a.o!.score! || a.s.index - b.s.index);
  const diverged = history.suggestions.filter((s) => history.outcomes.get(s.index)?.status === 'diverged');
  const pending = pendingSuggestions(history);
  const n = scored.length + diverged.length + pending.length;
  const k = Math.min(goodCount(n), scored.length);
  return {
    good: scored.slice(0, k).map((e) => e.s.point),
    bad: [...scored.slice(k).map((e) => e.s.point), ...diverged.map((s) => s.point), ...pending.map((s) => s.point)],
  };
}
