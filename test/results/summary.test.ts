import { describe, expect, it } from 'vitest';
import { chanceTest, confusionCounts } from '../../src/indicators/chance.js';
import type { TimeToTarget } from '../../src/indicators/time-to-target.js';
import { speedupText, summarize, summaryCsv, summaryMarkdown } from '../../src/results/summary.js';
import type { TrialRecord } from '../../src/results/trial-record.js';

// A trial record with only what the summary reads.
function record(repeat: number, final: number, scratch: number, extra: Partial<TrialRecord> = {}): TrialRecord {
  return {
    trial: `p-r${repeat}`, pointId: 'p', point: { 'transfer.freeze': 'all' }, repeat, seed: repeat, status: 'ok',
    test: { accuracy: final, macroF1: final - 0.1 },
    scratch: { task: `s${repeat}`, test: { accuracy: scratch, macroF1: scratch - 0.2 }, curve: [] },
    indicators: { transferOnly: { probe: 'linear', test: { accuracy: 0.7, macroF1: 0.6 } } },
    finishedAt: '', ...extra,
  };
}

const reached = (epochs: number) => ({ epochs, steps: epochs, examples: epochs, seconds: epochs * 2 });
function ttt(transfer: number | null, scratch: number | null): TimeToTarget {
  const t = transfer == null ? null : reached(transfer);
  const s = scratch == null ? null : reached(scratch);
  return { metric: 'accuracy', target: 0.9, transfer: t, scratch: s, speedup: t && s ? { epochs: s.epochs / t.epochs, seconds: s.seconds / t.seconds } : null };
}

describe('summary per grid point, checked by hand', () => {
  it('final vs scratch is paired: the per-seed differences decide, not the two separate intervals', () => {
    // final 0.80 0.84 0.82: mean 0.82, half-width 4.303 * 0.02 / sqrt(3) = 0.049687
    // scratch 0.77 0.80 0.80: mean 0.79, sd sqrt(0.0006 / 2) = 0.017321, half-width 0.043030
    // (the two intervals overlap), differences 0.03 0.04 0.02: mean 0.03, sd 0.01,
    // half-width 4.303 * 0.01 / sqrt(3) = 0.024843 -> [0.005157, 0.054843] above 0: positive.
    const failed: TrialRecord = { trial: 'p-r3', pointId: 'p', point: { 'transfer.freeze': 'all' }, repeat: 3, seed: 3, status: 'failed', error: { message: 'boom' }, finishedAt: '' };
    const [s] = summarize([record(0, 0.8, 0.77), record(1, 0.84, 0.8), record(2, 0.82, 0.8), failed], 'accuracy');
    expect([s!.repeats, s!.failed, s!.diverged]).toEqual([4, 1, 0]);
    const acc = s!.metrics[0]!;
    expect(acc.metric).toBe('accuracy');
    expect(acc.final.mean).toBeCloseTo(0.82, 12);
    expect(acc.final.high! - acc.final.mean).toBeCloseTo(0.049687, 5);
    expect(acc.scratch.mean).toBeCloseTo(0.79, 12);
    expect(acc.scratch.high! - acc.scratch.mean).toBeCloseTo(0.04303, 5);
    expect(acc.difference.low).toBeCloseTo(0.005157, 5);
    expect(acc.difference.high).toBeCloseTo(0.054843, 5);
    expect(acc.verdict).toBe('positive');
    // transfer-only 0.7 on every seed: sd 0, the interval collapses onto the mean.
    expect([acc.transferOnly.mean, acc.transferOnly.low, acc.transferOnly.high].map((v) => v!.toFixed(12))).toEqual(['0.700000000000', '0.700000000000', '0.700000000000']);
    // Every recorded metric: macroF1 differences (0.80-0.1)-(0.77-0.2) = 0.13, 0.14, 0.12, mean 0.13.
    expect(s!.metrics.map((m) => m.metric)).toEqual(['accuracy', 'macroF1']);
    expect(s!.metrics[1]!.difference.mean).toBeCloseTo(0.13, 12);
  });

  it('one repeat: inconclusive, and says why', () => {
    const [s] = summarize([record(0, 0.9, 0.5)], 'accuracy');
    expect(s!.metrics[0]!.verdict).toBe('inconclusive');
    expect(s!.metrics[0]!.why).toMatch(/1 repeat: no confidence interval/);
  });

  it('time to target: the ratio over seeds where both reached it; the others counted, never averaged', () => {
    // Epochs transfer/scratch per seed: 2/2, 1/2, 1/4, 2/- (scratch not reached), -/- (neither).
    // Speed-ups 1, 2, 4 -> geometric mean 2, interval [0.357412, 11.191552] (see the statistics test);
    // in seconds (2x each side) the same ratios.
    const rs = [ttt(2, 2), ttt(1, 2), ttt(1, 4), ttt(2, null), ttt(null, null)]
      .map((t, i) => record(i, 0.9, 0.9, { indicators: { timeToTarget: t } }));
    const t = summarize(rs, 'accuracy')[0]!.timeToTarget!;
    expect(t.reached).toEqual({ both: 3, transferOnly: 1, scratchOnly: 0, neither: 1 });
    expect(t.speedup.epochs.n).toBe(3);
    expect(t.speedup.epochs.mean).toBeCloseTo(2, 12);
    expect(t.speedup.epochs.low).toBeCloseTo(0.357412, 5);
    expect(t.speedup.seconds.high).toBeCloseTo(11.191552, 5);
    // Transfer reached it in 2, 1, 1, 2 epochs (mean 1.5); scratch in 2, 2, 4 (mean 8/3).
    expect(t.transfer.epochs.mean).toBeCloseTo(1.5, 12);
    expect(t.scratch.epochs.mean).toBeCloseTo(8 / 3, 12);
    expect(speedupText(t)).toBe('2.00x [0.36, 11.19]');
    const onlyTransfer = summarize([record(0, 0.9, 0.9, { indicators: { timeToTarget: ttt(3, null) } })], 'accuracy')[0]!.timeToTarget;
    expect(speedupText(onlyTransfer)).toBe('scratch not reached');
    expect(onlyTransfer!.speedup.epochs.n).toBe(0);
  });

  it('no scratch baseline (a graph-model source): scratch and verdict say unavailable, and why, in the markdown and the CSV', () => {
    const why = 'source.model is a graph model';
    const rs = [0, 1].map((i) => record(i, 0.8, 0, { scratch: undefined, scratchUnavailable: why }));
    const summary = summarize(rs, 'accuracy');
    expect(summary[0]!.scratchUnavailable).toBe(why);
    const md = summaryMarkdown(summary, 'graph', 'accuracy');
    expect(md).toContain('| transfer.freeze="all" | 2 | 0.700 ± 0.000 | 0.800 ± 0.000 | unavailable | - | unavailable |');
    expect(md).toContain(`- transfer.freeze="all": scratch baseline unavailable (${why})`);
    const [header, row] = summaryCsv(summary).trim().split('\n');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect([cells.accuracy_scratch_mean, cells.accuracy_verdict]).toEqual(['', 'unavailable']);
    // One repeat that has a baseline: the point is not unavailable.
    expect(summarize([rs[0]!, record(2, 0.8, 0.7)], 'accuracy')[0]!.scratchUnavailable).toBeUndefined();
  });

  it('files: a CSV column per metric and indicator; the markdown tables', () => {
    const summary = summarize([record(0, 0.8, 0.77, { indicators: { timeToTarget: ttt(1, 2) } }), record(1, 0.84, 0.8)], 'accuracy');
    const [header, row] = summaryCsv(summary).trim().split('\n');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    // accuracy differences 0.03, 0.04: mean 0.035, sd 0.007071, half-width 12.706 * 0.007071 / sqrt(2)
    // = 0.06353 -> [-0.0285, 0.0985]: inconclusive; macroF1 differences 0.13, 0.14: [0.0715, 0.1985]: positive.
    expect(Number(cells.accuracy_difference_mean)).toBeCloseTo(0.035, 12);
    expect(Number(cells.accuracy_difference_low)).toBeCloseTo(-0.02853, 4);
    expect(cells.accuracy_verdict).toBe('inconclusive');
    expect(cells.macroF1_verdict).toBe('positive');
    expect(cells.speedup_epochs_mean).toBe('2');
    expect(cells.speedup_epochs_low).toBe('');
    expect(cells.reached_both).toBe('1');
    const md = summaryMarkdown(summary, 'tiny', 'accuracy');
    expect(md).toContain('## Every metric');
    expect(md).toContain('| transfer.freeze="all" | macroF1 |');
  });
});

// 5 classes of 60 test examples; `correct` of the 300 on the diagonal, the rest one class over.
function confusion(correct: number): number[][] {
  return Array.from({ length: 5 }, (_, t) => {
    const right = Math.floor(correct / 5) + (t < correct % 5 ? 1 : 0);
    return Array.from({ length: 5 }, (_, p) => (p === t ? right : p === (t + 1) % 5 ? 60 - right : 0));
  });
}
// A repeat scored on that test set: final and scratch as correct answers of 300.
const scored = (repeat: number, final: number, scratch: number, source = 'pretrain-a') =>
  record(repeat, final / 300, scratch / 300, { confusion: confusion(final), source });

const sourceAt = (correct: number) => ({
  key: 'pretrain-a', test: { accuracy: correct / 300, macroF1: 0.1 }, seconds: 3, confusion: confusion(correct),
  curve: [{ epoch: 1, phase: 1, loss: 1.6, valLoss: 1.6, val: { accuracy: 0.2 }, steps: 4, examples: 100, seconds: 1 }],
  chance: chanceTest([confusionCounts(confusion(correct))]),
});

describe('summary: models at chance say so', () => {
  const POINTS = [
    // final 60, 63, 57 of 300 and scratch 60, 57, 60: pooled 180/900 and 177/900 at a majority rate of 0.2,
    // p = P(X >= 180) > 0.5 and more: both at chance. Differences 0, 0.02, -0.01: the paired verdict would be inconclusive.
    { name: 'both at chance: nothing learned, not inconclusive', rs: [scored(0, 60, 60), scored(1, 63, 57), scored(2, 57, 60)],
      verdict: 'nothing learned', why: /^final 0\.200 \(180\/900; chance 0\.200, p = 0\.5\d, 3 repeats pooled\) and scratch 0\.197 \(177\/900/ },
    // scratch at 0.2 while final reaches 0.9: the paired verdict would be positive.
    { name: 'scratch at chance', rs: [scored(0, 270, 60), scored(1, 268, 61), scored(2, 272, 59)], verdict: 'scratch at chance', why: /^scratch 0\.200 \(180\/900/ },
    { name: 'transfer at chance', rs: [scored(0, 61, 270), scored(1, 59, 268), scored(2, 60, 272)], verdict: 'transfer at chance', why: /^final 0\.200/ },
    // 66 of 300 three times (0.22; 198/900, p = 0.07) is still chance; 75 (0.25, 225/900, p < 0.001) is not.
    { name: 'slightly above chance but not significantly: still at chance', rs: [0, 1, 2].map((i) => scored(i, 66, 66)), verdict: 'nothing learned', why: /198\/900/ },
    { name: 'both clearly above chance: the paired verdict', rs: [scored(0, 75, 72), scored(1, 75, 70), scored(2, 76, 73)], verdict: 'positive', why: /95% interval above 0/ },
  ];
  it.each(POINTS)('$name', ({ rs, verdict, why }) => {
    const [s] = summarize(rs, 'accuracy');
    expect(s!.metrics[0]!.verdict).toBe(verdict);
    expect(s!.metrics[0]!.why).toMatch(why);
    // Every metric's verdict: macroF1 compares the same models.
    expect(s!.metrics[1]!.verdict).toBe(verdict === 'positive' ? s!.metrics[1]!.verdict : verdict);
  });

  it('the source\'s own scores, and what is at chance, in summary.md and summary.csv', () => {
    const sources = [sourceAt(61)];
    const summary = summarize([scored(0, 60, 60), scored(1, 63, 57), scored(2, 57, 60)], 'accuracy', sources);
    expect(summary[0]!.chance.source!.atChance).toBe(true);
    // The probe's 0.7 of 300 (210/300 three times) is far above chance.
    expect(summary[0]!.chance.transferOnly!.atChance).toBe(false);
    const md = summaryMarkdown(summary, 'tiny', 'accuracy', sources);
    expect(md).toContain('## At chance');
    expect(md).toContain('- source pretrain-a learned nothing: test accuracy 0.203 (61/300; chance 0.200, p = 0.47)');
    expect(md).toMatch(/- transfer\.freeze="all": at chance: final 0\.200 \(180\/900; .*\); scratch 0\.197 \(177\/900; /);
    // final 0.20 0.21 0.19: sd 0.01, half-width 4.303 * 0.01 / sqrt(3) = 0.0248; scratch 0.20 0.19 0.20: sd 0.005774, 0.0143;
    // differences 0 0.02 -0.01: mean 0.0033, sd 0.015275, 0.0380.
    expect(md).toContain('| transfer.freeze="all" | 3 | 0.700 ± 0.000 | 0.200 ± 0.025 | 0.197 ± 0.014 | 0.003 ± 0.038 | nothing learned |');
    expect(md).toContain('## Source model');
    expect(md).toContain('| pretrain-a | 1 | accuracy 0.203, macroF1 0.100 | 0.203 (61/300; chance 0.200, p = 0.47) | yes |');
    const [header, row] = summaryCsv(summary).trim().split('\n');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(cells.accuracy_verdict).toBe('nothing learned');
    expect([cells.final_chance_rate, cells.final_at_chance, cells.scratch_at_chance, cells.source_at_chance, cells.transfer_only_at_chance])
      .toEqual(['0.2', 'true', 'true', 'true', 'false']);
    expect(Number(cells.source_chance_p)).toBeGreaterThan(0.05);
  });

  it('a source that learned: no "At chance" section, its scores still listed', () => {
    const sources = [sourceAt(240)];
    const summary = summarize([scored(0, 75, 72), scored(1, 75, 70), scored(2, 76, 73)], 'accuracy', sources);
    const md = summaryMarkdown(summary, 'tiny', 'accuracy', sources);
    expect(md).not.toContain('## At chance');
    expect(md).toContain('| pretrain-a | 1 | accuracy 0.800, macroF1 0.100 | 0.800 (240/300; chance 0.200, p < 0.001) | no |');
  });
});
