import type { ResolvedExperiment, ResolvedSearch } from '../../config/resolved.js';
import { ashaStrategy } from './asha.js';
import { gridStrategy } from './grid-strategy.js';
import { randomStrategy } from './random.js';
import { sobolStrategy } from './sobol.js';
import { dimensions } from './space.js';
import type { Strategy } from './strategy.js';
import { tpeStrategy } from './tpe.js';

/** The strategy a search block asks for, over its space; train.epochs is what a configuration trains to (ASHA's top rung). */
export function searchStrategy(search: ResolvedSearch, experiment: Pick<ResolvedExperiment, 'train'>): Strategy {
  const dims = dimensions(search.space);
  const maxEpochs = experiment.train.epochs;
  const epochs = (point: Readonly<Record<string, unknown>>) => (typeof point['train.epochs'] === 'number' ? point['train.epochs'] : maxEpochs);
  const strategies = {
    grid: () => gridStrategy(dims, epochs),
    random: () => randomStrategy(dims, search.seed, epochs),
    sobol: () => sobolStrategy(dims, search.seed, epochs),
    asha: () => ashaStrategy(dims, search.seed, { ...search.asha, maxEpochs }),
    tpe: () => tpeStrategy(dims, search.seed, epochs, search.tpe),
  } satisfies Record<ResolvedSearch['strategy'], () => Strategy>;
  return strategies[search.strategy]();
}
