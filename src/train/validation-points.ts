import type { Duration } from '../config/resolved.js';
import type { PhaseSteps } from './schedule.js';

/**
 * The steps of a phase after which the validation set is scored (train.validateEvery):
 * every N steps, or after the step nearest each multiple of x epochs (every step
 * when x epochs are a step or less); and always after the last step, so a curve
 * ends at the model training ends with.
 */
export function validationSteps(every: Duration, phase: PhaseSteps): Set<number> {
  const interval = 'steps' in every ? every.steps : every.epochs * phase.perEpoch;
  const at = new Set<number>();
  for (let j = 1; ; j++) {
    const step = interval <= 1 ? j : Math.round(j * interval);
    if (step >= phase.total) break;
    at.add(step);
  }
  if (phase.total > 0) at.add(phase.total);
  return at;
}
