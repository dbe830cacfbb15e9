import type { Duration, ResolvedSchedule } from '../config/resolved.js';

// Learning-rate schedules per optimizer step, in the closed forms of PyTorch's
// torch.optim.lr_scheduler (test/train/schedule.test.ts replays its values). A
// schedule runs over one training phase: `t` counts the phase's steps from 0.

/** The steps of a training phase: per epoch, and in all. */
export interface PhaseSteps {
  readonly perEpoch: number;
  readonly total: number;
}

/** A length of training in optimizer steps: x epochs are the nearest whole number of steps, at least 1. */
export function durationSteps(d: Duration, perEpoch: number): number {
  return 'steps' in d ? d.steps : Math.max(1, Math.round(d.epochs * perEpoch));
}

/** PyTorch's cosine between two values: `from` at pct 0, `to` at pct 1. */
function cosine(from: number, to: number, pct: number): number {
  return to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** The learning rate of step `t` (0-based) of a phase whose base learning rate is `base`. */
export function learningRateAt(schedule: ResolvedSchedule, base: number, t: number, phase: PhaseSteps): number {
  switch (schedule.name) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(t / durationSteps(schedule.every, phase.perEpoch));
    case 'exponential':
      return base * schedule.gamma ** (t / durationSteps(schedule.every, phase.perEpoch));
    case 'cosine': {
      const warmup = schedule.warmup ? durationSteps(schedule.warmup, phase.perEpoch) : 0;
      if (t < warmup) return base * (schedule.warmupStart + ((1 - schedule.warmupStart) * t) / warmup);
      const min = schedule.minLearningRate;
      return cosine(base, min, (t - warmup) / Math.max(1, phase.total - warmup));
    }
    case 'oneCycle': {
      // OneCycleLR's two phases end at steps pctStart·T - 1 and T - 1 (not whole numbers).
      const initial = base / schedule.divFactor;
      const rising = schedule.pctStart * phase.total - 1;
      const pct = (at: number, span: number) => (span > 0 ? at / span : 1);
      if (t <= rising) return cosine(initial, base, pct(t, rising));
      return cosine(base, initial / schedule.finalDivFactor, pct(t - rising, phase.total - 1 - rising));
    }
  }
}
