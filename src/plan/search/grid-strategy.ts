import { gridPoints } from '../grid.js';
import { type Dimension, dimensionValues } from './space.js';
import { affordableOr, type EpochsOf, type Strategy } from './strategy.js';

/** Every combination of the dimensions' values, first key varying slowest, as a grid block. */
export function gridStrategy(dims: readonly Dimension[], epochs: EpochsOf): Strategy {
  const points = gridPoints(Object.fromEntries(dims.map((d) => [d.key, dimensionValues(d) ?? []])));
  return {
    next: (history, affordable) => {
      const point = points[history.suggestions.length];
      return affordableOr(point == null ? { done: 'every combination has been proposed' } : { point, epochs: epochs(point) }, affordable);
    },
  };
}
