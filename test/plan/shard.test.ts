import { expect, it } from 'vitest';
import type { Experiment } from '../../src/config/experiment.generated.js';
import { parseShard, shardTrials } from '../../src/plan/shard.js';
import { planTrials } from '../../src/plan/trials.js';

const experiment = (grid: Record<string, unknown[]>): Experiment => ({
  name: 'x', seed: 1, repeats: 2,
  source: { pretrain: { architecture: 'lenet5', data: { dataset: 'mnist' } }, cut: 'flatten' },
  target: { data: { dataset: 'mnist' } },
  grid,
} as unknown as Experiment);

it('shards partition the trials, evenly, the same way whatever the grid order', () => {
  const trials = planTrials(experiment({ 'train.learningRate': [1, 0.1, 0.01], 'transfer.freeze': ['all', 2, 'none'] }));
  const reordered = planTrials(experiment({ 'transfer.freeze': ['none', 'all', 2], 'train.learningRate': [0.01, 1, 0.1] }));
  expect(trials).toHaveLength(18);
  const slices = [0, 1, 2, 3].map((index) => shardTrials(trials, { index, count: 4 }).map((t) => t.id));
  expect(slices.map((s) => s.length).sort()).toEqual([4, 4, 5, 5]);
  expect(slices.flat().sort()).toEqual(trials.map((t) => t.id).sort());
  for (const [index, slice] of slices.entries()) {
    expect(shardTrials(reordered, { index, count: 4 }).map((t) => t.id).sort()).toEqual([...slice].sort());
  }
});

it.each([
  ['2/4', { index: 2, count: 4 }],
  ['0/1', { index: 0, count: 1 }],
  ['4/4', { problem: 'shard index 4 is out of range 0..3 (indices start at 0: a SLURM array is --array=0-3)' }],
  ['1-4', { problem: "expected INDEX/COUNT such as 0/4, got '1-4'" }],
  ['0/0', { problem: 'the shard count must be at least 1' }],
])('--shard %s', (text, expected) => {
  expect(parseShard(text)).toEqual(expected);
});
