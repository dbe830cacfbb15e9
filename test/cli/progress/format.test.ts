import { expect, it } from 'vitest';
import { epochText, formatDuration, formatEstimate, runningText, summaryLine } from '../../../src/cli/progress/format.js';
import type { ProgressSnapshot } from '../../../src/cli/progress/progress-state.js';

it.each([
  [0, '0s'], [59.9, '59s'], [60, '1m00s'], [190, '3m10s'], [3599, '59m59s'], [3600, '1h00m'], [7500, '2h05m'],
])('a measured time of %ss reads %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

it.each([
  [1, '<5s'], [5, '~5s'], [42, '~40s'], [90, '~2m'], [1260, '~21m'], [3600 + 5 * 60 + 20, '~1h05m'],
])('an estimate of %ss reads %s', (seconds, text) => expect(formatEstimate(seconds)).toBe(text));

it('a fractional epoch reads to two decimals', () => expect(epochText(1 / 3)).toBe('0.33'));

const base: ProgressSnapshot = { total: 96, done: 12, cached: 0, failed: 0, running: [], queued: 0, elapsedSeconds: 190 };

it.each([
  ['counts, time elapsed and left', { ...base, best: 0.87123, leftSeconds: 1260 }, false, '12/96 done, 0 failed, best 0.8712, 3m10s elapsed, ~21m left'],
  ['no estimate yet: none shown', base, false, '12/96 done, 0 failed, 3m10s elapsed'],
  ['cache hits', { ...base, cached: 4, failed: 2 }, false, '12/96 done (4 from the cache), 2 failed, 3m10s elapsed'],
  ['a search budget leads', { ...base, budget: { unit: 'epochs', total: 400, used: 120 }, leftSeconds: 30 }, false,
    'budget 120/400 epochs, 12/96 tasks done, 0 failed, 3m10s elapsed, ~30s left'],
  ['at the end: what never finished, no estimate', { ...base, failed: 1, leftSeconds: 99 }, true, '12/96 done, 1 failed, 3m10s elapsed, 83 not run'],
  ['at the end of a whole run', { ...base, done: 96 }, true, '96/96 done, 0 failed, 3m10s elapsed'],
] as const)('summary: %s', (_, snapshot, final, text) => expect(summaryLine(snapshot, final)).toBe(text));

it('a running row: label, epoch, validation score, time on its worker', () => {
  expect(runningText({ key: 'k', label: 'trial t1 {"lr":0.01}', seconds: 62, epoch: 3, epochs: 10, score: 0.81234 }))
    .toBe('trial t1 {"lr":0.01}  epoch 3/10  val 0.8123  1m02s');
  expect(runningText({ key: 'k', label: 'transfer-only probe p', seconds: 4 })).toBe('transfer-only probe p  4s');
});
