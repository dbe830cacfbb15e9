import { describe, expect, it } from 'vitest';
import { estimate, pairedVerdict, ratioEstimate } from '../../src/indicators/statistics.js';
import { firstReached, timeToTarget } from '../../src/indicators/time-to-target.js';
import { accuracy, confusionMatrix, macroF1 } from '../../src/train/metrics.js';

describe('statistics, checked by hand', () => {
  it('mean and 95% t interval of [0.80, 0.84, 0.82]', () => {
    // mean 0.82; sd 0.02; t(2) = 4.303; half-width 4.303 * 0.02 / sqrt(3) = 0.049687
    const e = estimate([0.8, 0.84, 0.82]);
    expect(e.mean).toBeCloseTo(0.82, 12);
    expect(e.high! - e.mean).toBeCloseTo(0.049687, 5);
  });

  it('paired verdicts', () => {
    expect(pairedVerdict([0.05, 0.04, 0.06]).verdict).toBe('positive');
    expect(pairedVerdict([-0.05, -0.04, -0.06]).verdict).toBe('negative');
    expect(pairedVerdict([0.05, -0.04, 0.01]).verdict).toBe('inconclusive');
    expect(pairedVerdict([0.05]).why).toMatch(/1 repeat: no confidence interval/);
  });

  it('speed-ups [1, 2, 4] average on the log scale', () => {
    // logs 0, ln 2, 2 ln 2: mean ln 2 -> geometric mean 2; sd ln 2 = 0.693147;
    // half-width 4.303 * 0.693147 / sqrt(3) = 1.722012; interval 2 e^-1.722012 = 0.357412 to 2 e^1.722012 = 11.191552
    const e = ratioEstimate([1, 2, 4]);
    expect(e.mean).toBeCloseTo(2, 12);
    expect(e.low).toBeCloseTo(0.357412, 5);
    expect(e.high).toBeCloseTo(11.191552, 5);
    // 2x and 0.5x cancel (an arithmetic mean would say 1.25x); one ratio has no interval.
    expect(ratioEstimate([2, 0.5]).mean).toBeCloseTo(1, 12);
    const one = ratioEstimate([3]);
    expect(one.mean).toBeCloseTo(3, 12);
    expect([one.n, one.low, one.high]).toEqual([1, null, null]);
  });
});

describe('metrics, checked by hand', () => {
  // truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0
  const m = confusionMatrix(Int32Array.from([0, 0, 1, 1, 2, 2]), Int32Array.from([0, 1, 1, 1, 2, 0]), 3);
  it('accuracy 4/6', () => expect(accuracy(m)).toBeCloseTo(4 / 6, 12));
  it('macro F1 = mean(1/2, 4/5, 2/3)', () => expect(macroF1(m)).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12));
});

describe('time to target', () => {
  const curve = (accs: number[]) => accs.map((a, i) => ({
    epoch: i + 1, loss: 1, valLoss: 1, val: { accuracy: a }, steps: (i + 1) * 10, examples: (i + 1) * 100, seconds: (i + 1) * 2,
  }));
  it('relative to the scratch best; speed-up as a ratio; not reached is null', () => {
    const t = timeToTarget({ relativeToScratch: 0.95 }, 'accuracy', curve([0.5, 0.9, 0.95]), curve([0.3, 0.6, 0.8, 0.9, 1.0]))!;
    expect(t.target).toBeCloseTo(0.95, 12);
    expect(t.transfer).toEqual({ epochs: 3, steps: 30, examples: 300, seconds: 6 });
    expect(t.scratch?.epochs).toBe(5);
    expect(t.speedup?.epochs).toBeCloseTo(5 / 3, 12);
    expect(firstReached(curve([0.1, 0.2]), 'accuracy', 0.5)).toBeNull();
    expect(timeToTarget({ value: 0.99 }, 'accuracy', curve([0.5]), curve([0.6]))!.speedup).toBeNull();
  });
});
