import { dimensions, valueAt } from '../plan/search/space.js';
import type { ResolvedExperiment } from './resolved.js';
import type { PathSegment } from './yaml-source.js';

/** A value a sweep gives a field, and where the file writes it. */
export interface SweptValue {
  readonly key: string;
  readonly value: unknown;
  readonly at: readonly PathSegment[];
}

/**
 * The values to check a sweep with: every grid value and search choice, and the
 * two ends of each search range (as the search would give them: rounded to its
 * integers or steps). Each makes an experiment that must be valid.
 */
export function sweptValues(e: Pick<ResolvedExperiment, 'grid' | 'search'>): SweptValue[] {
  const grid = Object.entries(e.grid).flatMap(([key, values]) => values.map((value, i) => ({ key, value, at: ['grid', key, i] })));
  const search = dimensions(e.search?.space ?? {}).flatMap((d): SweptValue[] => {
    const at = ['search', 'space', d.key];
    if (d.kind === 'choice') return d.values.map((value, i) => ({ key: d.key, value, at: [...at, 'choice', i] }));
    const name = Object.keys(e.search!.space[d.key]!).find((k) => ['uniform', 'logUniform', 'int'].includes(k))!;
    return [{ key: d.key, value: valueAt(d, d.low), at: [...at, name, 0] }, { key: d.key, value: valueAt(d, d.high), at: [...at, name, 1] }];
  });
  return [...grid, ...search];
}
