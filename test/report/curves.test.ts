import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { crossings, curveRows } from '../../src/report/curves.js';

// A record with a transfer curve of (validation accuracy, seconds) per epoch; null: diverged.
function record(trial: string, points: [number | null, number][], timeToTarget?: TrialRecord['indicators']): TrialRecord {
  return {
    trial, pointId: 'p', point: {}, repeat: 0, seed: 1, status: 'ok', finishedAt: '',
    curve: points.map(([acc, seconds], i) => ({ epoch: i + 1, phase: 1, loss: 1, valLoss: 1, val: { accuracy: acc as number }, steps: 0, examples: 0, seconds })),
    ...(timeToTarget ? { indicators: timeToTarget } : {}),
  };
}

describe('learning curves averaged over repeats, checked by hand', () => {
  // A: 0.80 0.85 0.90; B stopped early after 2 epochs: 0.82 0.95; C diverged at epoch 2.
  const rows = curveRows('p', [
    record('a', [[0.8, 1], [0.85, 2], [0.9, 3]]),
    record('b', [[0.82, 2], [0.95, 4]]),
    record('c', [[0.78, 3], [null, 5]]),
  ], 'accuracy');

  it('each epoch averages the repeats that reached it, a diverged epoch left out', () => {
    expect(rows.map((r) => [r.arm, r.epoch, r.n])).toEqual([['transfer', 1, 3], ['transfer', 2, 2], ['transfer', 3, 1]]);
    // epoch 1: 0.80 0.82 0.78, mean 0.80, sd 0.02, half-width 4.303 * 0.02 / sqrt(3) = 0.049687; seconds (1+2+3)/3 = 2
    expect(rows[0]!.mean).toBeCloseTo(0.8, 12);
    expect(rows[0]!.low).toBeCloseTo(0.750313, 5);
    expect(rows[0]!.seconds).toBeCloseTo(2, 12);
    // epoch 2: 0.85 0.95, mean 0.90, half-width 12.706 * 0.070711 / sqrt(2) = 0.6353: band [0.2647, 1.5353] clipped to 1
    expect(rows[1]!.low).toBeCloseTo(0.2647, 4);
    expect(rows[1]!.high).toBe(1);
    expect(rows[1]!.seconds).toBeCloseTo(3, 12);
    // epoch 3: one repeat, no interval: the band is the mean itself
    expect([rows[2]!.low, rows[2]!.mean, rows[2]!.high]).toEqual([0.9, 0.9, 0.9]);
  });

  it('crossings: each repeat where it first reached its target, per arm', () => {
    const reached = { epochs: 2, steps: 2, examples: 2, seconds: 2.5 };
    const r = record('a', [[0.8, 1]], { timeToTarget: { metric: 'accuracy', target: 0.85, transfer: reached, scratch: null, speedup: null } });
    expect(crossings('p', [r, record('b', [])])).toEqual([{ point: 'p', arm: 'transfer', epoch: 2, seconds: 2.5, target: 0.85 }]);
  });
});
