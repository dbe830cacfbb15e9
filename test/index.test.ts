import { expect, it } from 'vitest';
import * as tlx from '../src/index.js';

it('the library API plans the shipped experiment as the CLI does', () => {
  const loaded = tlx.loadExperiment('experiments/mnist-digits.yaml');
  const trials = tlx.planTrials(loaded.raw);
  expect(trials).toHaveLength(18);
  expect(tlx.planTasks(trials, { baseDir: 'experiments', modelHash: () => undefined }).scratch.size).toBe(6);
  expect(Object.keys(tlx.ARCHITECTURES)).toContain('mobilenet-v1');
  expect(() => tlx.loadExperiment('experiments/none.yaml')).toThrow(tlx.UsageError);
});
