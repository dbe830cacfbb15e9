import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { type FeatureSet, probeScore } from '../../src/indicators/probe.js';
import { rng, testSeed } from '../support/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Gaussian clusters around random centres: separable when `spread` is small. */
function clusters(seed: number, perClass: number, spread: number): { train: FeatureSet; validation: FeatureSet; test: FeatureSet } {
  const next = rng(seed);
  const classes = 3;
  const width = 8;
  const centres = Array.from({ length: classes * width }, () => next() * 10);
  const make = (n: number): FeatureSet => {
    const features = new Float32Array(n * classes * width);
    const labels = new Int32Array(n * classes);
    for (let i = 0; i < n * classes; i++) {
      const c = i % classes;
      labels[i] = c;
      for (let j = 0; j < width; j++) features[i * width + j] = centres[c * width + j]! + (next() - 0.5) * spread;
    }
    return { features, width, labels, classes };
  };
  return { train: make(perClass), validation: make(Math.ceil(perClass / 3)), test: make(perClass) };
}

it.each(['linear', 'logistic', 'centroid', 'knn'] as const)('%s probe follows the features', async (kind) => {
  const seed = testSeed();
  const { train, validation, test } = clusters(seed, 30, 0.5);
  const right = await probeScore({ train, validation, test }, { kind, k: 3, metrics: ['accuracy'] });
  expect(right.accuracy, `seed ${seed}`).toBe(1);
  // The same test features with every label moved to another class: a probe that
  // predicts from the features now scores 0, one that ignores them would not.
  const rotated = { ...test, labels: test.labels.map((l) => (l + 1) % 3) };
  const wrong = await probeScore({ train, validation, test: rotated }, { kind, k: 3, metrics: ['accuracy'] });
  expect(wrong.accuracy, `seed ${seed}`).toBe(0);
});
