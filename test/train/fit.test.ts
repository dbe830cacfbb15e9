import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { pixelScale } from '../../src/data/images/batches.js';
import type { ImageSet } from '../../src/data/images/image-set.js';
import { resolveSchedule } from '../../src/config/schedule-settings.js';
import { firstReached } from '../../src/indicators/time-to-target.js';
import { fit } from '../../src/train/fit.js';
import { learningRateAt } from '../../src/train/schedule.js';
import { exampleSets } from '../../src/train/inputs.js';
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
const data = exampleSets(sets, pixelScale('-1..1', 1));

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
  const huge = exampleSets(sets, pixelScale({ mean: [0], std: [1e-40] }, 1));
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

// train.validateEvery, train.schedule, earlyStopping.restoreBest and the step
// settings, through fit.
const base = { epochs: 3, batchSize: 16, optimizer: 'adam', learningRate: 0.1 } as const;

it.each([
  { name: 'every 3 steps', every: { steps: 3 }, points: [[0.75, 3, 48], [1.5, 6, 96], [2.25, 9, 144], [3, 12, 192]] },
  { name: 'every half epoch', every: { epochs: 0.5 }, points: [[0.5, 2, 32], [1, 4, 64], [1.5, 6, 96], [2, 8, 128], [2.5, 10, 160], [3, 12, 192]] },
  { name: 'every 5 steps (the last step gets a point too)', every: { steps: 5 }, points: [[1.25, 5, 80], [2.5, 10, 160], [3, 12, 192]] },
  { name: 'every 2 epochs', every: { epochs: 2 }, points: [[2, 8, 128], [3, 12, 192]] },
])('validateEvery $name: curve points at those steps, with epochs and examples', async ({ every, points }) => {
  const result = await withSeededMathRandom(5, () => fit(model(), data, { train: { ...base, validateEvery: every }, metrics: ['accuracy'] }));
  expect(result.curve.map((p) => [p.epoch, p.steps, p.examples])).toEqual(points);
  // Time-to-target reads them: a score first reached at a point within an epoch is reached there.
  const first = result.curve[0]!;
  expect(firstReached(result.curve, 'accuracy', first.val.accuracy!)).toEqual({ epochs: first.epoch, steps: first.steps, examples: first.examples, seconds: first.seconds });
});

it('the scheduled learning rate is set before each step and recorded at each point', async () => {
  const schedule = resolveSchedule({ name: 'step', every: { steps: 1 }, gamma: 1e-6 });
  const trained = await withSeededMathRandom(5, async () => model());
  const result = await withSeededMathRandom(5, () => fit(trained, data, { train: { ...base, validateEvery: { steps: 1 }, schedule }, metrics: ['accuracy'] }));
  const phase = { perEpoch: 4, total: 12 };
  expect(result.curve.map((p) => p.learningRate)).toEqual(result.curve.map((p) => learningRateAt(schedule, 0.1, p.steps - 1, phase)));
  expect((trained.optimizer as unknown as { learningRate: number }).learningRate).toBe(result.curve[11]!.learningRate);
  // After the first step the rate is ~0: the model, and its validation loss, no longer change much.
  const valLosses = result.curve.map((p) => p.valLoss);
  expect(Math.abs(valLosses[11]! - valLosses[1]!)).toBeLessThan(1e-3 * Math.abs(valLosses[0]! - valLosses[1]! + 1e-3) + 1e-5);
  const constant = await withSeededMathRandom(5, () => fit(model(), data, { train: { ...base, validateEvery: { steps: 1 } }, metrics: ['accuracy'] }));
  expect(Math.abs(constant.curve[11]!.valLoss - constant.curve[1]!.valLoss)).toBeGreaterThan(1e-2);
});

it('the same seed and settings give the same curve and test scores, bit for bit', async () => {
  const train = {
    ...base, epochs: 2, validateEvery: { steps: 3 }, schedule: resolveSchedule({ name: 'cosine', warmup: { steps: 2 } }),
    labelSmoothing: 0.1, classWeights: 'balanced', clipNorm: 0.5, earlyStopping: { monitor: 'val_loss', patience: 5, restoreBest: true },
  } as const;
  const run = async () => {
    let m: tfl.LayersModel | undefined;
    const result = await withSeededMathRandom(11, () => fit(m = model(), data, { train, metrics: ['accuracy', 'macroF1'] }));
    return { curve: result.curve.map(({ seconds: _, ...p }) => p), test: result.test, confusion: result.confusion, weights: m!.getWeights().map((w) => Array.from(w.dataSync())) };
  };
  const [a, b] = [await run(), await run()];
  expect(a.curve).toHaveLength(3);
  expect(b).toEqual(a);
});

/** The data with the validation labels swapped: the better the model learns, the worse it scores there. */
const misleading = { ...data, validation: { ...data.validation, labels: data.validation.labels.map((l) => 1 - l) } };

it.each([
  { name: 'restoreBest: the final weights are those of the best point', restoreBest: true },
  { name: 'restoreBest false: the last point\'s weights stay', restoreBest: false },
])('$name; patience counts validation points', async ({ restoreBest }) => {
  const trained = await withSeededMathRandom(5, async () => model());
  const atPoint: number[][] = [];
  const result = await withSeededMathRandom(5, () => fit(trained, misleading, {
    train: { ...base, epochs: 10, validateEvery: { steps: 1 }, earlyStopping: { monitor: 'val_loss', patience: 2, restoreBest } },
    metrics: ['accuracy'],
    onEpoch: () => atPoint.push(trained.getWeights().flatMap((w) => Array.from(w.dataSync()))),
  }));
  const losses = result.curve.map((p) => p.valLoss);
  const best = losses.indexOf(Math.min(...losses));
  expect(best, 'the best point is not the last').toBeLessThan(losses.length - 1);
  expect(result.curve).toHaveLength(best + 1 + 2);
  expect(result.stoppedEarly).toBe(true);
  const final = trained.getWeights().flatMap((w) => Array.from(w.dataSync()));
  expect(final).toEqual(atPoint[restoreBest ? best : losses.length - 1]);
  expect(result.restored).toEqual(restoreBest ? { epoch: result.curve[best]!.epoch, steps: result.curve[best]!.steps } : undefined);
});

it('class weights, smoothing and clipping train through fit (accumulatedStep), and the curve\'s loss is the weighted one', async () => {
  const train = { ...base, epochs: 1, labelSmoothing: 0.2, classWeights: [1, 3], clipNorm: 1 } as const;
  const result = await withSeededMathRandom(5, () => fit(model(), data, { train, metrics: ['accuracy'] }));
  const plain = await withSeededMathRandom(5, () => fit(model(), data, { train: { ...base, epochs: 1 }, metrics: ['accuracy'] }));
  expect(result.status).toBe('ok');
  expect(result.curve[0]!.loss).not.toBe(plain.curve[0]!.loss);
  await expect(withSeededMathRandom(5, () => fit(model(), data, { train: { ...train, classWeights: [1, 2, 3] }, metrics: ['accuracy'] })))
    .rejects.toThrow('train.classWeights: 3 class weights for 2 classes');
});
