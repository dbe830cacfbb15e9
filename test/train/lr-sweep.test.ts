import { describe, expect, it } from 'vitest';
import { smoothingFor, suggest, sweepRate, type SweepPoint } from '../../src/train/lr-sweep.js';

/** A sweep of n points from 1e-6 to 1 whose smoothed loss is f(log10 lr). */
const curve = (n: number, f: (x: number) => number): SweepPoint[] => Array.from({ length: n }, (_, i) => {
  const learningRate = sweepRate(1e-6, 1, i, n);
  const smoothed = f(Math.log10(learningRate));
  return { step: i + 1, learningRate, loss: smoothed, smoothed };
});

describe('the learning-rate sweep', () => {
  it('grows exponentially from min to max', () => {
    const rates = [0, 1, 2, 3, 4].map((i) => sweepRate(1e-4, 1, i, 5));
    rates.forEach((rate, i) => expect(Math.abs(rate / 10 ** (i - 4) - 1), `step ${i}: ${rate}`).toBeLessThan(1e-12));
  });

  it('smooths over about a tenth of the sweep', () => {
    expect([10, 50, 100, 1000].map(smoothingFor)).toEqual([0.5, 0.8, 0.9, 0.98]);
  });

  it.each([
    // A loss that falls fastest at 1e-3 (a logistic drop), bottoms out at 1e-1, then rises.
    { name: 'a drop, a minimum, a rise: steepest descent', f: (x: number) => 2 - 1 / (1 + Math.exp(-3 * (x + 3))) + Math.max(0, x + 1) ** 2,
      rule: 'steepest', near: 1e-3, min: 1e-1 },
    { name: 'a loss that only rises: a tenth of the minimum\'s rate', f: (x: number) => 1 + (x + 6) ** 2, rule: 'min/10', near: 1e-7, min: 1e-6 },
  ])('$name', ({ f, rule, near, min }) => {
    const { suggestion, minimum, alternative } = suggest(curve(100, f));
    expect(suggestion.rule).toBe(rule);
    expect(Math.abs(Math.log10(suggestion.learningRate / near)), `${suggestion.learningRate} near ${near}`).toBeLessThan(0.25);
    expect(Math.abs(Math.log10(minimum.learningRate / min)), `minimum ${minimum.learningRate}`).toBeLessThan(0.25);
    if (rule === 'steepest') expect(alternative).toEqual({ rule: 'min/10', learningRate: minimum.learningRate / 10 });
  });

  it('skips the first tenth, where the running mean has seen few batches', () => {
    // A steep fall over the first 5 points only, then a gentle slope down to the end.
    const points = curve(100, (x) => (x < -5.8 ? 10 - (x + 6) * 40 : 2 - 0.01 * (x + 6)));
    expect(suggest(points).suggestion.learningRate).toBeGreaterThan(points[9]!.learningRate);
  });
});
