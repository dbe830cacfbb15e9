import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { classWeightValues } from '../../src/train/loss.js';
import { accumulatedStep, type StepSettings } from '../../src/train/micro-batch.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { randomArray, relativeError, rng, testSeed } from '../support/random.js';

// Label smoothing, class weights and gradient clipping, each against a float64
// computation by hand on the cpu backend (the reference, untouched by tlx), and the
// step in micro-batches against the step on the whole batch with all three on.

const CLASSES = 3;
const net = (seed: number) => tfl.sequential({ layers: [
  tfl.layers.dense({ inputShape: [5], units: 6, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
  tfl.layers.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
] });

function batch(next: () => number, n: number): { x: tf.Tensor2D; y: tf.Tensor1D; labels: number[] } {
  const labels = Array.from({ length: n }, () => Math.floor(next() * CLASSES));
  return { x: tf.tensor2d(randomArray(next, n * 5), [n, 5]), y: tf.tensor1d(labels), labels };
}

/** The batch's mean loss in float64: smoothed cross-entropy of the model's probabilities, each example times its class's weight. */
function lossByHand(model: tfl.LayersModel, x: tf.Tensor, labels: number[], smoothing: number, weights?: ArrayLike<number>): number {
  const probs = Array.from((model.predict(x) as tf.Tensor).dataSync(), Number);
  let sum = 0;
  labels.forEach((label, i) => {
    const row = probs.slice(i * CLASSES, (i + 1) * CLASSES).map((p) => Math.min(Math.max(p, 1e-7), 1 - 1e-7));
    const total = row.reduce((a, b) => a + b, 0);
    const loss = -row.reduce((s, p, c) => s + ((c === label ? 1 - smoothing : 0) + smoothing / CLASSES) * Math.log(p / total), 0);
    sum += loss * (weights ? weights[label]! : 1);
  });
  return sum / labels.length;
}

/** An optimizer that records the gradients it is given (and takes SGD steps). */
function recording(rate: number): { optimizer: tf.Optimizer; applied: Float64Array[] } {
  const optimizer = tf.train.sgd(rate);
  const applied: Float64Array[] = [];
  const apply = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (grads) => {
    const list = Array.isArray(grads) ? grads.map((g) => g.tensor) : Object.values(grads);
    applied.push(Float64Array.from(list.flatMap((g) => Array.from(g.dataSync()))));
    apply(grads);
  };
  return { optimizer, applied };
}

const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, g) => s + g * g, 0));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the loss of a step', () => {
  it.each([
    { name: 'label smoothing 0.1', step: { labelSmoothing: 0.1 } },
    { name: 'label smoothing 0.3 in micro-batches of 3', step: { labelSmoothing: 0.3 }, micro: 3 },
    { name: 'class weights', step: { labelSmoothing: 0, classWeights: Float32Array.from([0.5, 2, 1.25]) } },
    { name: 'class weights and smoothing in micro-batches of 4', step: { labelSmoothing: 0.2, classWeights: Float32Array.from([3, 0.25, 1]) }, micro: 4 },
  ] as { name: string; step: StepSettings; micro?: number }[])('$name: as computed by hand in float64', async ({ step, micro }) => {
    const seed = testSeed();
    const model = net(seed % 1000);
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    const { x: unit, y, labels } = batch(rng(seed), 10);
    // Inputs x3: confident predictions, so smoothing moves the loss well past the bound.
    const x = tf.mul(unit, 3);
    const expected = lossByHand(model, x, labels, step.labelSmoothing, step.classWeights);
    const plain = lossByHand(model, x, labels, 0);
    expect(Math.abs(expected - plain) / plain, `seed ${seed}: the setting changes the loss`).toBeGreaterThan(1e-4);
    const actual = await accumulatedStep(model, x, y, micro ?? 10, step);
    expect(Math.abs(actual - expected) / expected, `seed ${seed}: ${actual} vs ${expected}`).toBeLessThan(1e-6);
    tf.dispose([unit, x, y]);
  });

  it.each([
    { name: 'balanced, as scikit-learn (n / (classes x count))', labels: [0, 0, 0, 1, 2, 2], classes: 3, expected: [6 / 9, 2, 1] },
    { name: 'balanced, a class with no training example keeps 1', labels: [0, 0, 1], classes: 3, expected: [3 / 6, 1, 1] },
    { name: 'a list, as given', labels: [0, 1], classes: 2, setting: [1, 4], expected: [1, 4] },
  ])('class weights $name', ({ labels, classes, setting, expected }) => {
    const weights = classWeightValues(setting ?? 'balanced', Int32Array.from(labels), classes)!;
    expected.forEach((w, c) => expect(weights[c]).toBeCloseTo(w, 6));
  });

  it('a list of class weights of another length than the classes is refused with a usage error', () => {
    expect(() => classWeightValues([1, 2], Int32Array.from([0, 1, 2]), 3)).toThrow(UsageError);
    expect(() => classWeightValues([1, 2], Int32Array.from([0, 1, 2]), 3)).toThrow('train.classWeights: 2 class weights for 3 classes; expected one per class, in label order');
  });
});

describe('gradient clipping by global norm', () => {
  it.each([
    { name: 'a gradient longer than clipNorm is scaled to it', clipNorm: 0.05, clipped: true },
    { name: 'a shorter one is applied unchanged', clipNorm: 1e6, clipped: false },
  ])('$name', async ({ clipNorm, clipped }) => {
    const seed = testSeed();
    const [a, b] = [net(seed % 1000), net(seed % 1000)];
    const raw = recording(0.1);
    const clip = recording(0.1);
    a.compile({ optimizer: raw.optimizer, loss: 'sparseCategoricalCrossentropy' });
    b.compile({ optimizer: clip.optimizer, loss: 'sparseCategoricalCrossentropy' });
    const { x, y } = batch(rng(seed), 12);
    await accumulatedStep(a, x, y, 12);
    await accumulatedStep(b, x, y, 12, { labelSmoothing: 0, clipNorm });
    const [g, applied] = [raw.applied[0]!, clip.applied[0]!];
    expect(norm(g), `seed ${seed}: the raw gradient is longer than 0.05`).toBeGreaterThan(0.05 * 1.5);
    expect(norm(applied) / Math.min(norm(g), clipNorm), `seed ${seed}`).toBeCloseTo(1, 5);
    // The same direction: the applied gradient is the raw one scaled.
    const scale = clipped ? clipNorm / norm(g) : 1;
    expect(relativeError(applied, g.map((v) => v * scale)), `seed ${seed}`).toBeLessThan(1e-5);
    tf.dispose([x, y]);
  });
});

// The check: accumulatedStep in micro-batches equals one step on the whole
// batch with smoothing, class weights and clipping on; and each setting matters to
// those steps (without any one of them the weights land elsewhere).
describe('micro-batches with every setting on', () => {
  const step: StepSettings = { labelSmoothing: 0.1, classWeights: Float32Array.from([0.5, 2, 1]), clipNorm: 0.1 };
  const without: Record<string, StepSettings> = {
    smoothing: { ...step, labelSmoothing: 0 },
    'class weights': { labelSmoothing: step.labelSmoothing, clipNorm: step.clipNorm! },
    clipping: { labelSmoothing: step.labelSmoothing, classWeights: step.classWeights! },
  };

  it.each([1, 3, 5])('of %i examples take the steps of the whole batch of 12, over 5 Adam steps', async (micro) => {
    const seed = testSeed();
    const next = rng(seed);
    const [whole, split] = [net(seed % 1000), net(seed % 1000)];
    const others = Object.fromEntries(Object.keys(without).map((name) => [name, net(seed % 1000)]));
    const start = flat(whole);
    for (const m of [whole, split, ...Object.values(others)]) {
      m.compile({ optimizer: makeOptimizer({ optimizer: 'adam', learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
    }
    const norms = recording(0);
    const probe = net(seed % 1000);
    probe.compile({ optimizer: norms.optimizer, loss: 'sparseCategoricalCrossentropy' });
    for (let s = 0; s < 5; s++) {
      const { x, y } = batch(next, 12);
      if (s === 0) await accumulatedStep(probe, x, y, 12, without.clipping!);
      const expected = await accumulatedStep(whole, x, y, 12, step);
      const actual = await accumulatedStep(split, x, y, micro, step);
      expect(actual, `seed ${seed}, step ${s}`).toBeCloseTo(expected, 5);
      for (const [name, m] of Object.entries(others)) await accumulatedStep(m, x, y, micro, without[name]);
      tf.dispose([x, y]);
    }
    expect(norm(norms.applied[0]!), `seed ${seed}: clipping was active`).toBeGreaterThan(0.1);
    expect(relativeError(flat(whole), start), `seed ${seed}: the weights moved`).toBeGreaterThan(1e-3);
    expect(relativeError(flat(split), flat(whole)), `seed ${seed}`).toBeLessThan(1e-5);
    for (const [name, m] of Object.entries(others)) {
      expect(relativeError(flat(m), flat(whole)), `seed ${seed}: without ${name}`).toBeGreaterThan(1e-4);
    }
  });
});

function flat(model: tfl.LayersModel): Float32Array {
  return Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
}
