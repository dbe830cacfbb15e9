import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { planTrials } from '../../src/plan/trials.js';
import { thrown } from '../support/thrown.js';
import { GOOD } from './hostile-files.js';

// train.optimizer: a name, or { name, ...parameters }; each problem reported once,
// at the value, with what is accepted.
const dir = mkdtempSync(join(tmpdir(), 'tlx-optimizer-'));
const withOptimizer = (optimizer: string, yaml = GOOD) => yaml.replace('grid:', `train:\n  optimizer: ${optimizer}\ngrid:`);

function load(yaml: string) {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return { file, error: thrown(() => loadExperiment(file, dir)) };
}

const CASES: { name: string; yaml: string; line: number; col: number; path: string; message: RegExp; hint?: RegExp }[] = [
  { name: 'an unknown name', yaml: withOptimizer('adamm'), line: 12, col: 14, path: 'train.optimizer',
    message: /^expected one of 'adam', 'adamw', 'sgd', 'rmsprop', 'adadelta', 'adagrad' \(got 'adamm'\)$/, hint: /did you mean 'adam'\?/ },
  { name: 'an unknown name in the mapping', yaml: withOptimizer('{ name: sgdd }'), line: 12, col: 22, path: 'train.optimizer.name',
    message: /^expected one of 'adam', 'adamw', 'sgd', 'rmsprop', 'adadelta', 'adagrad' \(got 'sgdd'\)$/, hint: /did you mean 'sgd'\?/ },
  { name: 'a mapping without a name', yaml: withOptimizer('{ momentum: 0.9 }'), line: 12, col: 14, path: 'train.optimizer',
    message: /^missing required field 'name' \(one of 'adam', 'adamw', 'sgd', 'rmsprop', 'adadelta', 'adagrad'\)$/ },
  { name: 'a negative momentum', yaml: withOptimizer('{ name: sgd, momentum: -1 }'), line: 12, col: 37, path: 'train.optimizer.momentum', message: /^must be >= 0 \(got -1\)$/ },
  { name: 'Nesterov without momentum', yaml: withOptimizer('{ name: sgd, nesterov: true }'), line: 12, col: 37, path: 'train.optimizer.nesterov',
    message: /^nesterov: true needs a momentum above 0 \(momentum is 0\)$/, hint: /set momentum/ },
  { name: 'a parameter of another optimizer', yaml: withOptimizer('{ name: sgd, beta1: 0.9 }'), line: 12, col: 27, path: 'train.optimizer.beta1',
    message: /^unknown field 'beta1'$/, hint: /allowed here: name, momentum, nesterov, weightDecay/ },
  { name: 'beta1 of 1', yaml: withOptimizer('{ name: adam, beta1: 1 }'), line: 12, col: 35, path: 'train.optimizer.beta1', message: /^must be < 1 \(got 1\)$/ },
  { name: 'an epsilon of 0', yaml: withOptimizer('{ name: rmsprop, epsilon: 0 }'), line: 12, col: 40, path: 'train.optimizer.epsilon', message: /^must be > 0 \(got 0\)$/ },
  { name: 'Nesterov without momentum in the pretrain block',
    yaml: GOOD.replace('classes: [0, 1, 2, 3, 4] }', 'classes: [0, 1, 2, 3, 4] }\n    train: { optimizer: { name: sgd, nesterov: true } }'),
    line: 6, col: 48, path: 'source.pretrain.train.optimizer.nesterov', message: /needs a momentum above 0/ },
  { name: 'a grid over a parameter the optimizer has not', yaml: withOptimizer('adam', GOOD.replace('train.learningRate: [0.001, 0.01]', 'train.optimizer.momentum: [0.9]')),
    line: 14, col: 30, path: 'grid.train.optimizer.momentum[0]', message: /^with train.optimizer.momentum = 0.9: train.optimizer.momentum: unknown field 'momentum'$/ },
];

describe('train.optimizer refused: position, message, suggestion', () => {
  it.each(CASES)('$name', ({ yaml, line, col, path, message, hint }) => {
    const { error } = load(yaml);
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues, JSON.stringify(issues, null, 1)).toHaveLength(1);
    const [issue] = issues;
    expect(issue!.message).toMatch(message);
    expect([issue!.position.line, issue!.position.col]).toEqual([line, col]);
    expect(issue!.path).toBe(path);
    if (hint) expect(issue!.hint).toMatch(hint);
    expect((error as ConfigError).exitCode).toBe(2);
  });
});

describe('train.optimizer accepted', () => {
  it('by name or as a mapping, each parameter filled with its default', () => {
    const file = load(withOptimizer('{ name: sgd, momentum: 0.9 }')).file;
    expect(loadExperiment(file, dir).experiment.train.optimizer).toEqual({ name: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 });
    const named = load(withOptimizer('adadelta')).file;
    expect(loadExperiment(named, dir).experiment.train.optimizer).toEqual({ name: 'adadelta', rho: 0.9, epsilon: 1e-6, weightDecay: 0 });
  });

  it('a grid sweeps a parameter of an optimizer given by name', () => {
    const { file, error } = load(withOptimizer('sgd', GOOD.replace('train.learningRate: [0.001, 0.01]', 'train.optimizer.momentum: [0, 0.9]')));
    expect(error).toBeUndefined();
    const trials = planTrials(loadExperiment(file, dir).raw);
    expect(trials.map((t) => t.experiment.train.optimizer)).toEqual([
      { name: 'sgd', momentum: 0, nesterov: false, weightDecay: 0 },
      { name: 'sgd', momentum: 0.9, nesterov: false, weightDecay: 0 },
    ]);
  });
});
