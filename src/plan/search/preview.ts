import type { ResolvedExperiment, ResolvedSearch } from '../../config/resolved.js';
import { describeRungs } from './asha.js';
import { affordable } from './budget.js';
import { searchStrategy } from './index.js';
import { dimensions } from './space.js';
import { isProposal, pointIdOf, type Suggestion } from './strategy.js';

/** What is known of a search before it runs: its first suggestions (those that need no results), and what comes after. */
export function searchPreview(search: ResolvedSearch, experiment: Pick<ResolvedExperiment, 'train' | 'repeats'>, count = 10): { suggestions: Suggestion[]; later: string } {
  const strategy = searchStrategy(search, experiment);
  // Results decide TPE's proposals after its random start, and ASHA's promotions: those are not listed.
  const known = search.strategy === 'tpe' ? Math.min(count, search.tpe.startup) : count;
  const history = { suggestions: [] as Suggestion[], outcomes: new Map() };
  while (history.suggestions.length < known) {
    const next = strategy.next(history, affordable(search.budget, history, experiment.repeats));
    if (!isProposal(next)) break;
    history.suggestions.push({ ...next, index: history.suggestions.length, pointId: pointIdOf(next.point) });
  }
  const later = {
    grid: 'then the rest of the combinations, in order',
    random: 'then more independent draws',
    sobol: 'then the Sobol sequence onward',
    tpe: `then TPE's proposals, which depend on the results (after ${search.tpe.startup} random configurations)`,
    asha: `then new configurations and promotions, which depend on the results; rungs ${describeRungs({ ...search.asha, maxEpochs: experiment.train.epochs })}`,
  }[search.strategy];
  return { suggestions: history.suggestions, later };
}

/** A search's space and budget in words, a line each, as `tlx plan` prints them. */
export function describeSearch(search: ResolvedSearch, repeats: number): string[] {
  const each = `${repeats} repeat${repeats === 1 ? '' : 's'}`;
  const budget = search.budget?.trials != null ? `${search.budget.trials} trials (${Math.floor(search.budget.trials / repeats)} configurations x ${each})`
    : search.budget?.epochs != null ? `${search.budget.epochs} epochs of training over all trials (${each} per configuration)` : `every combination (${each} each)`;
  const n = dimensions(search.space).length;
  return [
    `search: ${search.strategy} over ${n} parameter${n === 1 ? '' : 's'}, budget ${budget}, seed ${search.seed}`,
    ...Object.entries(search.space).map(([key, d]) => `  ${key}: ${JSON.stringify(d)}`),
  ];
}
