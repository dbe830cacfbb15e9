import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';
import { GOOD } from './hostile-files.js';

// The training loop's keys (train.schedule, validateEvery, clipNorm, labelSmoothing,
// classWeights, earlyStopping.restoreBest): each problem reported once, at the value.
const dir = mkdtempSync(join(tmpdir(), 'tlx-train-loop-'));
const withTrain = (line: string, yaml = GOOD) => yaml.replace('grid:', `train:\n  ${line}\ngrid:`);
const DURATION = /^expected a length of training: a number of optimizer steps \(\{ steps: N \}\) or of passes over the training data \(\{ epochs: x \}, fractions allowed\) \(got .*\)$/;

function load(yaml: string) {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return thrown(() => loadExperiment(file, dir));
}

const CASES: { name: string; yaml: string; line: number; col: number; path: string; message: RegExp; hint?: RegExp }[] = [
  { name: 'an unknown schedule', yaml: withTrain('schedule: { name: cosin }'), line: 12, col: 21, path: 'train.schedule.name',
    message: /^expected one of 'constant', 'step', 'exponential', 'cosine', 'oneCycle' \(got 'cosin'\)$/, hint: /did you mean 'cosine'\?/ },
  { name: 'a schedule without its name', yaml: withTrain('schedule: { warmup: { steps: 10 } }'), line: 12, col: 13, path: 'train.schedule',
    message: /^missing required field 'name' \(one of 'constant', 'step', 'exponential', 'cosine', 'oneCycle'\)$/ },
  { name: 'a schedule by name only', yaml: withTrain('schedule: cosine'), line: 12, col: 13, path: 'train.schedule', message: /^expected a mapping \(got 'cosine'\)$/ },
  { name: 'a step schedule without every', yaml: withTrain('schedule: { name: step }'), line: 12, col: 13, path: 'train.schedule', message: /^missing required field 'every'$/ },
  { name: 'an exponential schedule without gamma', yaml: withTrain('schedule: { name: exponential }'), line: 12, col: 13, path: 'train.schedule', message: /^missing required field 'gamma'$/ },
  { name: 'another schedule\'s parameter', yaml: withTrain('schedule: { name: cosine, gamma: 0.5 }'), line: 12, col: 29, path: 'train.schedule.gamma',
    message: /^unknown field 'gamma'$/, hint: /allowed here: name, warmup, warmupStart, minLearningRate/ },
  { name: 'a bare number as a period', yaml: withTrain('schedule: { name: step, every: 3 }'), line: 12, col: 34, path: 'train.schedule.every', message: DURATION },
  { name: 'a period of 0 steps', yaml: withTrain('schedule: { name: step, every: { steps: 0 } }'), line: 12, col: 43, path: 'train.schedule.every.steps', message: /^must be >= 1 \(got 0\)$/ },
  { name: 'one-cycle rising past the end', yaml: withTrain('schedule: { name: oneCycle, pctStart: 1.5 }'), line: 12, col: 41, path: 'train.schedule.pctStart', message: /^must be < 1 \(got 1.5\)$/ },
  { name: 'validateEvery misspelt', yaml: withTrain('validateEvery: { step: 5 }'), line: 12, col: 18, path: 'train.validateEvery', message: DURATION },
  { name: 'validateEvery a bare number', yaml: withTrain('validateEvery: 5'), line: 12, col: 18, path: 'train.validateEvery', message: DURATION },
  { name: 'validateEvery 0 epochs', yaml: withTrain('validateEvery: { epochs: 0 }'), line: 12, col: 28, path: 'train.validateEvery.epochs', message: /^must be > 0 \(got 0\)$/ },
  { name: 'validateEvery a fraction of a step', yaml: withTrain('validateEvery: { steps: 2.5 }'), line: 12, col: 27, path: 'train.validateEvery.steps', message: /^expected an integer \(got 2.5\)$/ },
  { name: 'clipNorm 0', yaml: withTrain('clipNorm: 0'), line: 12, col: 13, path: 'train.clipNorm', message: /^must be > 0 \(got 0\)$/ },
  { name: 'labelSmoothing 1', yaml: withTrain('labelSmoothing: 1'), line: 12, col: 19, path: 'train.labelSmoothing', message: /^must be < 1 \(got 1\)$/ },
  { name: 'negative labelSmoothing', yaml: withTrain('labelSmoothing: -0.1'), line: 12, col: 19, path: 'train.labelSmoothing', message: /^must be >= 0 \(got -0.1\)$/ },
  { name: 'classWeights misspelt', yaml: withTrain('classWeights: balance'), line: 12, col: 17, path: 'train.classWeights',
    message: /^expected one of 'balanced' \(got 'balance'\)$/, hint: /did you mean 'balanced'\?/ },
  { name: 'an empty list of class weights', yaml: withTrain('classWeights: []'), line: 12, col: 17, path: 'train.classWeights',
    message: /^expected `balanced`, or a list of one weight \(at least 0\) per class, in label order \(got \[\]\)$/ },
  { name: 'a negative class weight', yaml: withTrain('classWeights: [1, -2, 1, 1, 1]'), line: 12, col: 21, path: 'train.classWeights[1]', message: /^must be >= 0 \(got -2\)$/ },
  { name: 'class weights for another number of classes', yaml: withTrain('classWeights: [1, 2]'), line: 12, col: 17, path: 'train.classWeights',
    message: /^2 class weights for 5 classes; expected one per class, in label order$/, hint: /classWeights: balanced/ },
  { name: 'pretrain class weights for another number of classes', yaml: GOOD.replace('    data: { dataset: mnist, classes: [0, 1, 2, 3, 4] }', '    data: { dataset: mnist, classes: [0, 1, 2, 3, 4] }\n    train: { classWeights: [1, 1] }'),
    line: 6, col: 28, path: 'source.pretrain.train.classWeights', message: /^2 class weights for 5 classes/ },
  { name: 'restoreBest not a boolean', yaml: withTrain('earlyStopping: { restoreBest: yes please }'), line: 12, col: 33, path: 'train.earlyStopping.restoreBest', message: /^expected true or false \(got 'yes please'\)$/ },
];

describe('training loop settings: position, message, suggestion', () => {
  it.each(CASES)('$name', ({ yaml, line, col, path, message, hint }) => {
    const error = load(yaml);
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues, JSON.stringify(issues, null, 1)).toHaveLength(1);
    const [issue] = issues;
    expect(issue!.message).toMatch(message);
    expect([issue!.position.line, issue!.position.col, issue!.path]).toEqual([line, col, path]);
    if (hint) expect(issue!.hint).toMatch(hint);
    expect((error as ConfigError).exitCode).toBe(2);
  });

  it.each([
    'schedule: { name: cosine, warmup: { steps: 10 } }',
    'schedule: { name: oneCycle, pctStart: 0.25 }',
    'schedule: { name: step, every: { epochs: 2 }, gamma: 0.5 }',
    'validateEvery: { epochs: 0.25 }',
    'classWeights: [1, 2, 1, 1, 0.5]',
    'classWeights: balanced',
    'earlyStopping: { patience: 4, restoreBest: false }',
  ])('accepts %s', (line) => {
    expect(load(withTrain(line))).toBeUndefined();
  });
});
