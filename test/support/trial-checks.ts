import { expect } from 'vitest';
import type { TrialRecord } from '../../src/results/trial-record.js';

/**
 * What an ok trial's record must satisfy, recomputed here from its own parts rather
 * than trusted: accuracy is the confusion matrix's diagonal share of a test set of
 * `testSize` examples, the transfer-only accuracy is a share of the same test set,
 * final vs scratch is the difference of the two test scores, and time-to-target is
 * the first epoch each curve reached `relative` times scratch's best validation score.
 */
export function expectConsistentTrial(r: TrialRecord, testSize: number, relative = 0.95): void {
  expect(r.status).toBe('ok');
  const confusion = r.confusion!;
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  expect(total).toBe(testSize);
  const correct = confusion.reduce((sum, row, i) => sum + row[i]!, 0);
  expect(r.test!.accuracy).toBeCloseTo(correct / total, 12);
  const probe = r.indicators!.transferOnly!.test.accuracy!;
  expect(probe).toBeGreaterThanOrEqual(0);
  expect(probe).toBeLessThanOrEqual(1);
  expect(probe * testSize).toBeCloseTo(Math.round(probe * testSize), 9);
  expect(r.indicators!.finalVsScratch!.difference).toBeCloseTo(r.test!.accuracy! - r.scratch!.test.accuracy!, 12);
  const target = relative * Math.max(...r.scratch!.curve.map((p) => p.val.accuracy!));
  const first = (curve: TrialRecord['curve']) => curve!.find((p) => p.val.accuracy! >= target)?.epoch ?? null;
  const ttt = r.indicators!.timeToTarget!;
  expect(ttt.target).toBeCloseTo(target, 12);
  expect(ttt.transfer?.epochs ?? null).toBe(first(r.curve));
  // Scratch always reaches a share below 1 of its own best.
  expect(ttt.scratch?.epochs).toBe(first(r.scratch!.curve));
  expect(ttt.speedup?.epochs ?? null).toBe(ttt.transfer ? ttt.scratch!.epochs / ttt.transfer.epochs : null);
}
