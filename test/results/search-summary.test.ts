import { describe, expect, it } from 'vitest';
import { tQuantile95 } from '../../src/indicators/statistics.js';
import { bestTrial } from '../../src/results/run-summary.js';
import { searchedKeys, searchSummary } from '../../src/results/search-summary.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { latestRecords } from '../../src/results/trials-log.js';
import { ashaSearchLog, configurationOf, randomSearchLog, type SearchLog } from './search-fixture.js';

// A fresh seed each run, printed in the test names so a failure can be replayed.
const SEED = Math.floor(Math.random() * 2 ** 31);

/**
 * The configuration means complete after the first `upTo` records, found the slow
 * way: every (configuration, rung, repeat) cell rebuilt from the prefix.
 */
function completeMeans(log: readonly TrialRecord[], upTo: number, repeats: number): { suggestion: number; rung: number; epochs: number; mean: number; validation: number }[] {
  const cells = new Map<string, TrialRecord>();
  for (const r of log.slice(0, upTo)) {
    const key = `${configurationOf(r)}/${r.search!.rung ?? 0}/${r.repeat}`;
    if (r.status !== 'failed' || !cells.has(key)) cells.set(key, r);
  }
  const groups = new Map<string, TrialRecord[]>();
  for (const [key, r] of cells) {
    const group = key.slice(0, key.lastIndexOf('/'));
    groups.set(group, [...(groups.get(group) ?? []), r]);
  }
  return [...groups.values()].filter((rs) => rs.length === repeats).map((rs) => {
    const ok = rs.filter((r) => r.status !== 'failed');
    const mean = (vs: number[]) => vs.reduce((a, b) => a + b, 0) / vs.length;
    return { suggestion: configurationOf(rs[0]!), rung: rs[0]!.search!.rung ?? 0, epochs: rs[0]!.search!.epochs,
      mean: mean(ok.map((r) => r.test!.accuracy!)), validation: mean(ok.map((r) => r.curve!.at(-1)!.val.accuracy!)) };
  });
}

function checkProgress(s: SearchLog): void {
  const summary = searchSummary(s.log, 'accuracy', s.repeats)!;
  const full = Math.max(...s.rungEpochs);
  expect(summary.fullEpochs).toBe(full);
  expect(summary.progress).toHaveLength(s.log.length);
  let [epochs, seconds] = [0, 0];
  summary.progress.forEach((step, i) => {
    epochs += s.log[i]!.search!.addedEpochs;
    seconds += s.log[i]!.search!.addedSeconds;
    expect(step.epochs).toBe(epochs);
    expect(step.seconds).toBeCloseTo(seconds, 9);
    const means = completeMeans(s.log, i + 1, s.repeats);
    // The test mean of the configuration with the best validation mean: what a user choosing now would get.
    const chosen = (ms: typeof means) => (ms.length === 0 ? null : ms.reduce((a, b) => (b.validation > a.validation ? b : a)).mean);
    expect(step.best).toBe(chosen(means.filter((m) => m.epochs === full)));
    expect(step.bestAnyRung).toBe(chosen(means));
  });
  expect(summary.compute).toEqual({ epochs, seconds: summary.progress.at(-1)!.seconds });
  // It ends at the fully trained configuration the validation scores choose, which need not have the best test score.
  const bests = summary.progress.map((p) => p.best).filter((b) => b != null);
  const atFull = completeMeans(s.log, s.log.length, s.repeats).filter((m) => m.epochs === full);
  const choice = atFull.reduce((a, b) => (b.validation > a.validation ? b : a));
  expect(bests.at(-1)).toBe(choice.mean);
  expect(summary.ranked[0]!.configuration.suggestion).toBe(choice.suggestion);
  expect(summary.ranked[0]!.score.score.mean).toBe(bests.at(-1));
  expect(summary.ranked.map((r) => r.configuration.suggestion).sort()).toEqual(atFull.map((m) => m.suggestion).sort());
}

describe(`a search's summary from its trial log (seed ${SEED})`, () => {
  it('random search: compute summed in file order, best so far against the slow recount, every configuration ranked', () => {
    const s = randomSearchLog(SEED);
    checkProgress(s);
    const summary = searchSummary(s.log, 'accuracy', s.repeats)!;
    expect(summary.strategy).toBe('random');
    expect(summary.rungsUsed).toBe(false);
    expect(summary.configurations.map((c) => c.suggestion)).toEqual(Array.from({ length: s.configurations }, (_, i) => i));
    expect(summary.ranked).toHaveLength(s.configurations);
    expect(searchedKeys(summary.configurations).sort()).toEqual(Object.keys(s.log[0]!.point).filter((k) =>
      new Set(s.log.map((r) => JSON.stringify(r.point[k]))).size > 1).sort());
  });

  it('ASHA: superseded rungs count as compute; promotions and rung counts match what the generator decided', () => {
    const s = ashaSearchLog(SEED);
    checkProgress(s);
    const summary = searchSummary(s.log, 'accuracy', s.repeats)!;
    expect(summary.rungsUsed).toBe(true);
    // Compute covers every record, also those latestRecords drops.
    const latest = latestRecords(s.log);
    expect(latest.length).toBeLessThan(s.log.length);
    expect(summary.compute.epochs).toBeGreaterThan(latest.reduce((n, r) => n + r.search!.addedEpochs, 0));
    const found = new Set(summary.configurations.flatMap((c) => c.rungs.filter((r) => r.promoted).map((r) => `${c.suggestion}/${r.rung}`)));
    expect(found).toEqual(s.promoted);
    const reached = s.rungEpochs.map((_, rung) => (rung === 0 ? s.configurations : [...s.promoted].filter((p) => p.endsWith(`/${rung - 1}`)).length));
    expect(summary.rungs.map((r) => [r.rung, r.epochs, r.reached, r.promoted])).toEqual(s.rungEpochs.map((e, rung) =>
      [rung, e, reached[rung], [...s.promoted].filter((p) => p.endsWith(`/${rung}`)).length]));
    // Only the configuration that reached the top rung competes for best.
    expect(summary.ranked.map((r) => r.configuration.suggestion)).toEqual([...s.promoted].filter((p) => p.endsWith('/1')).map((p) => Number(p.split('/')[0])));
    // The retried failure: both repeats present at rung 0, its score from the success alone.
    const retried = summary.configurations.find((c) => s.log.some((r) => r.status === 'failed' && configurationOf(r) === c.suggestion))!;
    expect(retried.rungs[0]).toMatchObject({ present: 2, complete: true });
    expect(retried.rungs[0]!.score.n).toBe(2);
  });

  it('a configuration counts only once all its repeats are in: its interval is the t interval of its repeats', () => {
    const s = ashaSearchLog(SEED);
    const top = searchSummary(s.log, 'accuracy', s.repeats)!.ranked[0]!;
    const scores = s.log.filter((r) => configurationOf(r) === top.configuration.suggestion && r.search!.rung === 2).map((r) => r.test!.accuracy!);
    const mean = (scores[0]! + scores[1]!) / 2;
    const half = tQuantile95(1) * Math.abs(scores[0]! - scores[1]!) / Math.sqrt(2) / Math.sqrt(2);
    expect(top.score.score.mean).toBeCloseTo(mean, 12);
    expect(top.score.score.high! - mean).toBeCloseTo(half, 12);
    // Without the second repeat's top-rung record nothing is fully trained yet.
    const cut = s.log.filter((r) => !(r.search!.rung === 2 && r.repeat === 1));
    expect(searchSummary(cut, 'accuracy', s.repeats)!.ranked).toEqual([]);
  });

  it('export: best never picks a trial stopped at a low rung over a fully trained one', () => {
    const s = ashaSearchLog(SEED);
    const latest = latestRecords(s.log);
    const trapTrial = latest.find((r) => configurationOf(r) === s.trap && r.repeat === 0)!;
    // The trap's rung-0 score beats every fully trained trial: a rule by score alone would export it.
    const full = latest.filter((r) => r.search!.rung === 2);
    expect(trapTrial.test!.accuracy!).toBeGreaterThan(Math.max(...full.map((r) => r.test!.accuracy!)));
    const best = bestTrial(latest, 'accuracy')!;
    expect(best.search!.epochs).toBe(9);
    expect(best.test!.accuracy).toBe(Math.max(...full.map((r) => r.test!.accuracy!)));
  });

  it('a grid sweep has no search summary', () => {
    const grid = randomSearchLog(SEED).log.map(({ search: _search, ...r }) => r);
    expect(searchSummary(grid, 'accuracy', 2)).toBeNull();
  });
});
