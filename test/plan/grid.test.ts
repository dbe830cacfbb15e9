import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../src/config/experiment.generated.js';
import { applyPoint, gridPoints, withPath } from '../../src/plan/grid.js';
import { planTasks } from '../../src/plan/tasks.js';
import { planTrials } from '../../src/plan/trials.js';

describe('grid', () => {
  it('points are the cartesian product, first key slowest', () => {
    expect(gridPoints({ a: [1, 2], 'b.c': ['x', 'y'] })).toEqual([
      { a: 1, 'b.c': 'x' }, { a: 1, 'b.c': 'y' }, { a: 2, 'b.c': 'x' }, { a: 2, 'b.c': 'y' },
    ]);
  });

  it('withPath sets a copy, creating mappings; null removes the field', () => {
    const value = { train: { epochs: 3 }, transfer: { fineTune: { unfreeze: 'all', epochs: 2 } } };
    expect(withPath(value, 'train.learningRate', 0.1)).toEqual({ ...value, train: { epochs: 3, learningRate: 0.1 } });
    expect(withPath(value, 'transfer.fineTune', null)).toEqual({ ...value, transfer: {} });
    expect(applyPoint(value, { 'a.b': 1 })).toMatchObject({ a: { b: 1 } });
    expect(value.transfer.fineTune.epochs).toBe(2);
  });

  it('a sweep without and with fine-tuning plans both, each with its own scratch budget', () => {
    const raw: Experiment = {
      name: 'sweep',
      source: { pretrain: { architecture: 'lenet5', data: { dataset: 'mnist' } }, cut: 'flatten' },
      target: { data: { dataset: 'mnist' } },
      train: { epochs: 4 },
      grid: { 'transfer.fineTune': [null, { unfreeze: 'all', epochs: 2 }] },
    };
    const trials = planTrials(raw);
    expect(trials.map((t) => t.experiment.transfer.fineTune)).toEqual([undefined, { unfreeze: 'all', epochs: 2 }]);
    expect(planTasks(trials, { baseDir: process.cwd(), modelHash: () => undefined }).scratch.size).toBe(2);
  });
});
