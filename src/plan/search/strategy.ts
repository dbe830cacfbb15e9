import { hashOf } from '../canonical-hash.js';
import type { GridPoint } from '../grid.js';
import { POINT_ID_LENGTH } from '../trials.js';
import { deriveSeed, seededRandom } from '../../random.js';
import { type Dimension, pointAtFractions, spaceSize } from './space.js';

/** A configuration a strategy proposes: its point, and for ASHA the rung and the suggestion it continues. */
export interface Proposal {
  readonly point: GridPoint;
  /** Epochs its trials train to (the fidelity). */
  readonly epochs: number;
  readonly rung?: number;
  /** ASHA: the suggestion (at the rung below) whose trials this one continues from their saved weights. */
  readonly continues?: number;
}

/** The epochs a configuration trains to: train.epochs, the point's own where the space sets it. */
export type EpochsOf = (point: GridPoint) => number;

/** A proposal as the journal holds it: numbered in the order the search made them. */
export interface Suggestion extends Proposal {
  readonly index: number;
  readonly pointId: string;
}

/** What a configuration's trials came to: the mean of their scores, or why there is none. */
export interface Outcome {
  readonly index: number;
  readonly status: 'ok' | 'diverged' | 'failed';
  /** Mean validation score over the repeats (higher is better); null unless ok. */
  readonly score: number | null;
}

/** Everything a strategy may base its next proposal on: the journal, in order. */
export interface History {
  readonly suggestions: readonly Suggestion[];
  readonly outcomes: ReadonlyMap<number, Outcome>;
}

/** `wait`: nothing to propose until a running configuration finishes; `done`: nothing more to propose. */
export type Next = Proposal | { readonly wait: string } | { readonly done: string };

/**
 * A search strategy: the next configuration, a pure function of the history and
 * of what the budget still affords. Randomness is derived from the search seed
 * and the suggestion's number, so a rerun that reads the same journal proposes
 * the same configuration.
 */
export interface Strategy {
  next(history: History, affordable: (p: Proposal) => boolean): Next;
}

export function isProposal(next: Next): next is Proposal {
  return 'point' in next;
}

/** A search point's id: as a grid point's, so trial ids, scratch keys and records work alike. */
export function pointIdOf(point: GridPoint): string {
  return hashOf(point, POINT_ID_LENGTH);
}

/** The random stream of one suggestion: a function of the seed, the purpose and the suggestion's number alone. */
export function suggestionRandom(seed: number, purpose: string, index: number): () => number {
  return seededRandom(deriveSeed(seed, `${purpose}#${index}`));
}

/** Draws before giving up on finding a point not yet taken in a space that still has some. */
const DRAWS = 1000;

/**
 * A uniform random point not in `taken` (ids), or undefined when the space has no
 * point left (every point of a finite space taken).
 */
export function freshRandomPoint(dims: readonly Dimension[], random: () => number, taken: ReadonlySet<string>): GridPoint | undefined {
  if (spaceSize(dims) <= taken.size) return undefined;
  for (let i = 0; i < DRAWS; i++) {
    const point = pointAtFractions(dims, dims.map(() => random()));
    if (!taken.has(pointIdOf(point))) return point;
  }
  return undefined;
}

/** Ids of every configuration proposed at the lowest rung (or without rungs): what may not be proposed again. */
export function takenPoints(history: History): Set<string> {
  return new Set(history.suggestions.filter((s) => s.continues == null).map((s) => s.pointId));
}

/** Suggestions without an outcome yet (running, or left by a killed process). */
export function pendingSuggestions(history: History): Suggestion[] {
  return history.suggestions.filter((s) => !history.outcomes.has(s.index));
}

/** A proposal the budget affords, else the end of the search. */
export function affordableOr(next: Next, affordable: (p: Proposal) => boolean): Next {
  return 'point' in next && !affordable(next) ? { done: 'the budget is spent' } : next;
}
