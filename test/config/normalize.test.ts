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
