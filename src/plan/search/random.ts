import { type Dimension } from './space.js';
import { affordableOr, type EpochsOf, freshRandomPoint, type History, type Next, type Strategy, suggestionRandom, takenPoints } from './strategy.js';

/** Independent uniform draws, none repeated: suggestion i is drawn from a stream of its own (seed, i). */
export function randomStrategy(dims: readonly Dimension[], seed: number, epochs: EpochsOf): Strategy {
  return {
    next: (history, affordable) => affordableOr(randomProposal(dims, seed, epochs, history), affordable),
  };
}

/** The random strategy's proposal for the next suggestion (TPE starts with these). */
export function randomProposal(dims: readonly Dimension[], seed: number, epochs: EpochsOf, history: History): Next {
  const point = freshRandomPoint(dims, suggestionRandom(seed, 'random', history.suggestions.length), takenPoints(history));
  return point == null ? { done: 'every point of the space has been proposed' } : { point, epochs: epochs(point) };
}
