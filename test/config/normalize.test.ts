import { expect, it } from 'vitest';
import { normalize } from '../../src/config/normalize.js';

it('fills the schema defaults, including inside referenced definitions', () => {
  const r = normalize({
    name: 'x',
    source: { pretrain: { architecture: 'keras-mnist-cnn', data: { dataset: 'mnist' } }, cut: 'flatten' },
    target: { data: { dataset: 'mnist', classes: [5, 6] } },
  });
  expect(r.seed).toBe(1337);
  expect(r.repeats).toBe(1);
  expect(r.train).toEqual({
    epochs: 10, batchSize: 32, learningRate: 0.001,
    optimizer: { name: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, amsgrad: false },
    schedule: { name: 'constant' }, validateEvery: { epochs: 1 }, labelSmoothing: 0,
  });
  expect(r.source.pretrain?.train.epochs).toBe(10);
  expect(r.target.data).toEqual({ dataset: 'mnist', classes: [5, 6], validation: 0.1, test: 0.2, resize: 'bilinear', skipUnreadable: false, background: 'white' });
  expect(r.transfer).toEqual({ freeze: 'all', head: [] });
  expect(r.indicators).toEqual({
    transferOnly: { probe: 'linear', k: 5 }, timeToTarget: { target: { relativeToScratch: 0.95 } }, scratch: true,
  });
  expect(r.run).toEqual({ concurrency: 'auto', backend: 'auto', cacheBudget: '1GiB' });
  expect(r.metrics).toEqual(['accuracy', 'macroF1']);
});

it.each([
  { name: 'a schedule\'s parameters (inside a oneOf)', train: { schedule: { name: 'oneCycle' } }, expected: { name: 'oneCycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 10000 } },
  { name: 'those of a step schedule, with what was written kept', train: { schedule: { name: 'step', every: { epochs: 2 } } }, expected: { name: 'step', every: { epochs: 2 }, gamma: 0.1 } },
  { name: 'a cosine schedule (no warmup unless given)', train: { schedule: { name: 'cosine' } }, expected: { name: 'cosine', warmupStart: 0, minLearningRate: 0 } },
] as const)('fills $name', ({ train, expected }) => {
  const r = normalize({ name: 'x', source: { model: 'm/model.json', cut: 'flatten' }, target: { data: { dataset: 'mnist' } }, train });
  expect(r.train.schedule).toEqual(expected);
});

it('earlyStopping gets restoreBest: true', () => {
  const r = normalize({ name: 'x', source: { model: 'm/model.json', cut: 'flatten' }, target: { data: { dataset: 'mnist' } }, train: { earlyStopping: {} } });
  expect(r.train.earlyStopping).toEqual({ monitor: 'val_accuracy', patience: 3, restoreBest: true });
});
