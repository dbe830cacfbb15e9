import { normalize } from '../config/normalize.js';
import { expandOptimizers } from '../config/optimizer-settings.js';
import type { Experiment } from '../config/experiment.generated.js';
import type { ResolvedExperiment } from '../config/resolved.js';
import { UsageError } from '../errors.js';
import { quote } from '../quote.js';
import { canonicalJson, hashOf } from './canonical-hash.js';
import { applyPoint, type GridPoint, gridPoints, GRID_SIZE_HINT, gridSizeProblem, withPath } from './grid.js';

/** One fine-tuning run: a grid point and a repeat, with its own seed. */
export interface Trial {
  /** Stable across runs of the same file: a hash of the point and the repeat. */
  readonly id: string;
  readonly point: GridPoint;
  readonly pointId: string;
  readonly repeat: number;
  readonly seed: number;
  /** The experiment with this point's values in place. */
  readonly experiment: ResolvedExperiment;
}

/**
 * The trials a run executes: grid points x repeats. Pure (no TensorFlow.js); the
 * grid values are applied to the file as written and then normalized, so defaults
 * behave the same with and without a sweep.
 */
export function planTrials(raw: Experiment): Trial[] {
  const base = normalize(raw);
  const tooLarge = gridSizeProblem(base.grid, base.repeats);
  if (tooLarge) throw new UsageError('E_GRID_SIZE', tooLarge, GRID_SIZE_HINT);
  const points = gridPoints(base.grid);
  const ids = pointIds(points);
  const single = unswept(raw);
  return points.flatMap((point, i) => pointTrials(single, point, ids[i]!, base));
}

/**
 * The file without its sweep, once: each point is applied to it and shares the
 * one grid (a copy of the whole sweep per point would grow with its square).
 */
export function unswept(raw: Experiment): Experiment {
  return expandOptimizers(withPath(withPath(raw, 'grid', {}), 'search', null));
}

/** The `repeats` trials of one point (seeds seed + r), from the file without its sweep (unswept). */
export function pointTrials(single: Experiment, point: GridPoint, pointId: string, base: Pick<ResolvedExperiment, 'grid' | 'repeats' | 'seed'>): Trial[] {
  const experiment = { ...normalize(applyPoint(single, point)), grid: base.grid };
  return Array.from({ length: base.repeats }, (_, repeat) => ({
    id: `${pointId}-r${repeat}`,
    point,
    pointId,
    repeat,
    seed: base.seed + repeat,
    experiment,
  }));
}

/** Hex digits of a grid point's id: 64 bits, so no two points of a sweep share one by chance. */
export const POINT_ID_LENGTH = 16;

/**
 * The id of each grid point. Two points with one id would share trial ids, scratch
 * keys and resume records, so a plan in which they do is refused.
 */
export function pointIds(points: readonly GridPoint[], idOf = (p: GridPoint) => hashOf(p, POINT_ID_LENGTH)): string[] {
  const seen = new Map<string, GridPoint>();
  return points.map((point) => {
    const id = idOf(point);
    const other = seen.get(id);
    if (other !== undefined) {
      const same = canonicalJson(other) === canonicalJson(point);
      throw new UsageError('E_TRIAL_ID', same
        ? `the grid has the point ${quote(point)} twice`
        : `grid points ${quote(other)} and ${quote(point)} have the same id ${id}`,
        same ? 'list each value of a grid key once' : 'change one of the values slightly');
    }
    seen.set(id, point);
    return id;
  });
}
