import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../src/config/experiment.generated.js';
import { UsageError } from '../../src/errors.js';
import { hashOf } from '../../src/plan/canonical-hash.js';
import { MAX_TRIALS } from '../../src/plan/grid.js';
import { planTrials, POINT_ID_LENGTH, pointIds } from '../../src/plan/trials.js';
import { thrown } from '../support/thrown.js';

// A grid key's values 1..n (the schema's type: a list of at least one).
const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1) as [number, ...number[]];

const sweep = (grid: Experiment['grid'], repeats = 1): Experiment => ({
  name: 'sweep',
  repeats,
  source: { pretrain: { architecture: 'lenet5', data: { dataset: 'mnist' } }, cut: 'flatten' },
  target: { data: { dataset: 'mnist' } },
  grid,
});

describe('trial ids', () => {
  it('are 64 bits: two learning rates whose 32-bit ids collided get their own', () => {
    // Found by brute force: their points' hashes agree in the first 8 hex digits.
    const [a, b] = [{ 'train.learningRate': 0.061377 }, { 'train.learningRate': 0.121239 }];
    expect(hashOf(a, 8)).toBe(hashOf(b, 8));
    const trials = planTrials(sweep({ 'train.learningRate': [0.061377, 0.121239] }));
    expect(new Set(trials.map((t) => t.id)).size).toBe(2);
    expect(trials[0]!.pointId).toMatch(new RegExp(`^[0-9a-f]{${POINT_ID_LENGTH}}$`));
    expect(POINT_ID_LENGTH).toBeGreaterThanOrEqual(16);
  });

  it('a plan in which two points share an id is refused, naming both', () => {
    const error = thrown(() => pointIds([{ a: 1 }, { a: 2 }], () => 'same'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('grid points {"a":1} and {"a":2} have the same id same');
  });

  it('equal points are refused as one point listed twice', () => {
    expect(() => planTrials(sweep({ 'train.learningRate': [0.001, 1e-3] }))).toThrow(/the grid has the point \{"train.learningRate":0.001\} twice/);
  });
});

describe('sweep size', () => {
  it.each([
    { name: '10^20 points', grid: Object.fromEntries(['a.b', 'a.c', 'a.d', 'a.e'].map((k) => [k, values(100_000)])), repeats: 1, message: /^the grid has 1\.0e\+20 points x 1 repeat = 1\.0e\+20 trials; a run is limited to 10,000 trials$/ },
    { name: 'points x repeats past the limit', grid: { 'train.epochs': values(200) }, repeats: 51, message: /^the grid has 200 points x 51 repeats = 10,200 trials; a run is limited to 10,000 trials$/ },
  ])('$name is counted and refused before it is expanded', ({ grid, repeats, message }) => {
    const error = thrown(() => planTrials(sweep(grid, repeats)));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
  });

  it('the limit itself plans', () => {
    expect(planTrials(sweep({ 'train.epochs': values(MAX_TRIALS / 10) }, 10))).toHaveLength(MAX_TRIALS);
  });
});
