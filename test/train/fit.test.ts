import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { pixelScale } from '../../src/data/batches.js';
import type { ImageSet } from '../../src/data/image-set.js';
import { fit } from '../../src/train/fit.js';
import { imageSets } from '../../src/train/inputs.js';
import { withSeededMathRandom } from '../../src/random.js';
import { rng } from '../support/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two classes told apart by brightness: learnable in an epoch or two. */
function set(n: number, seed: number): ImageSet {
  const next = rng(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const pixels = Uint8Array.from({ length: n * 16 }, (_, k) => (labels[Math.floor(k / 16)] ? 150 : 50) + Math.floor(next() * 60));
  return { pixels, labels, shape: [4, 4, 1], classes: 2 };
}

const model = () => tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.dense({ units: 2, activation: 'softmax' })] });
const sets = { train: set(64, 1), validation: set(32, 2), test: set(32, 3) };
const data = imageSets(sets, pixelScale('-1..1', 1));

it('records a curve with steps, examples and seconds, and learns', async () => {
  const result = await withSeededMathRandom(5, () => fit(model(), data, {
    train: { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.1 }, metrics: ['accuracy'],
  }));
  expect(result.status).toBe('ok');
  expect(result.curve.map((p) => [p.epoch, p.steps, p.examples])).toEqual([[1, 4, 64], [2, 8, 128], [3, 12, 192]]);
  expect(result.curve[2]!.seconds).toBeGreaterThan(result.curve[0]!.seconds);
  expect(result.test.accuracy).toBeGreaterThan(0.9);
});

it('a loss that becomes NaN or infinite stops training and is recorded as diverged', async () => {
  // Inputs scaled past float32 range (Infinity): the logits are NaN, so is the loss.
  const huge = imageSets(sets, pixelScale({ mean: [0], std: [1e-40] }, 1));
  const result = await fit(model(), huge, { train: { epochs: 5, batchSize: 16, optimizer: 'sgd', learningRate: 1 }, metrics: ['accuracy'] });
  expect(result.status).toBe('diverged');
  expect(result.curve.length).toBeLessThan(5);
  expect(Number.isFinite(result.curve[result.curve.length - 1]!.loss)).toBe(false);
});

it('a finite training loss with a NaN validation loss (NaN only where inference reads) is diverged, not ok', async () => {
  const bn = () => {
    const m = tfl.sequential({ layers: [
      tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.batchNormalization({ name: 'bn' }), tfl.layers.dense({ units: 2, activation: 'softmax' }),
    ] });
    const [gamma, beta, mean, variance] = m.getLayer('bn').getWeights();
    m.getLayer('bn').setWeights([gamma!, beta!, mean!, tf.fill(variance!.shape, NaN)]);
    return m;
  };
  const result = await withSeededMathRandom(5, () => fit(bn(), data, { train: { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.1 }, metrics: ['accuracy'] }));
  expect(Number.isFinite(result.curve[0]!.loss)).toBe(true);
  expect(result.curve[0]!.valLoss).toBeNaN();
  expect(result.status).toBe('diverged');
  expect(result.curve).toHaveLength(1);
});

it('early stopping after `patience` epochs without improvement', async () => {
  const result = await withSeededMathRandom(6, () => fit(model(), data, {
    train: { epochs: 20, batchSize: 16, optimizer: 'adam', learningRate: 0.1, earlyStopping: { monitor: 'val_accuracy', patience: 2 } },
    metrics: ['accuracy'],
  }));
  expect(result.stoppedEarly).toBe(true);
  expect(result.curve.length).toBeLessThan(20);
});
