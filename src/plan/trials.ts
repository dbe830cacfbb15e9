import { normalize } from '../config/normalize.js';
import type { Experiment } from '../config/experiment.generated.js';
import type { ResolvedExperiment } from '../config/resolved.js';
import { hashOf } from './canonical-hash.js';
import { applyPoint, type GridPoint, gridPoints } from './grid.js';

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
  return gridPoints(base.grid).flatMap((point) => {
    const pointId = hashOf(point, 8);
    const experiment = normalize(applyPoint(raw, point));
    return Array.from({ length: base.repeats }, (_, repeat) => ({
      id: `${pointId}-r${repeat}`,
      point,
      pointId,
      repeat,
      seed: base.seed + repeat,
      experiment,
    }));
  });
}
