import { type ChanceCounts, type ChanceTest, chanceTest, confusionCounts } from '../indicators/chance.js';
import type { SourceScores } from './manifest.js';
import type { TrialRecord } from './trial-record.js';

/** Whether each model of a grid point learned anything: chance tests over its repeats, null where untestable. */
export interface PointChance {
  /** The pretrained source these repeats started from, on its own test set. */
  readonly source: ChanceTest | null;
  readonly transferOnly: ChanceTest | null;
  readonly final: ChanceTest | null;
  readonly scratch: ChanceTest | null;
}

/**
 * A trial, its probe and its scratch baseline are scored on the same test split,
 * whose class counts the trial's confusion matrix holds; the probe's and the
 * baseline's correct answers are their test accuracy times its size.
 */
function armCounts(ok: readonly TrialRecord[], accuracyOf: (r: TrialRecord) => number | undefined): ChanceCounts[] {
  return ok.flatMap((r) => {
    const accuracy = accuracyOf(r);
    if (r.confusion == null || accuracy == null || !Number.isFinite(accuracy)) return [];
    const target = confusionCounts(r.confusion);
    return [{ ...target, correct: Math.round(accuracy * target.n) }];
  });
}

/** The chance tests of one grid point's repeats (failed ones left out), and of the source they share. */
export function pointChance(ok: readonly TrialRecord[], sources: readonly SourceScores[]): PointChance {
  const keys = new Set(ok.map((r) => r.source));
  const [key] = [...keys];
  const source = keys.size === 1 ? sources.find((s) => s.key === key)?.chance ?? null : null;
  return {
    source,
    transferOnly: chanceTest(armCounts(ok, (r) => r.indicators?.transferOnly?.test.accuracy)),
    final: chanceTest(ok.flatMap((r) => (r.confusion ? [confusionCounts(r.confusion)] : []))),
    scratch: chanceTest(armCounts(ok, (r) => r.scratch?.test.accuracy)),
  };
}
