import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Metric, ProbeKind } from '../config/resolved.js';
import { computeMetrics, type MetricValues } from '../train/metrics.js';
import { logisticProbe } from './logistic-probe.js';

/** Features of a set at the cut: one row per example. */
export interface FeatureSet {
  readonly features: Float32Array;
  readonly width: number;
  readonly labels: Int32Array;
  readonly classes: number;
}

export interface ProbeOptions {
  readonly kind: ProbeKind;
  readonly k: number;
  readonly metrics: readonly Metric[];
}

/** The features of a target split: fitted on train, tuned on validation (where a probe tunes), scored on test. */
export interface ProbeData {
  readonly train: FeatureSet;
  readonly validation: FeatureSet;
  readonly test: FeatureSet;
}

/**
 * The transfer-only indicator: how well the frozen source features alone separate
 * the target classes, by a probe fitted on the training features and scored on the
 * test features.
 */
export async function probeScore(data: ProbeData, options: ProbeOptions): Promise<MetricValues> {
  const predicted = await PROBES[options.kind](data, options.k);
  return computeMetrics(options.metrics, data.test.labels, predicted, data.train.classes);
}

const PROBES = {
  linear: async ({ train, test }) => linearProbe(train, test),
  logistic: async ({ train, validation, test }) => logisticProbe(train, validation, test).predicted,
  centroid: async ({ train, test }) => centroidProbe(train, test),
  knn: async ({ train, test }, k) => knnProbe(train, test, k),
} as const satisfies Record<ProbeKind, (data: ProbeData, k: number) => Promise<Int32Array>>;

/** Softmax regression on standardized features (Adam, 50 epochs, batch 64). */
async function linearProbe(train: FeatureSet, test: FeatureSet): Promise<Int32Array> {
  const { mean, scale } = standardizer(train);
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [train.width], units: train.classes, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tidy(() => tf.div(tf.sub(tf.tensor2d(train.features, [train.labels.length, train.width]), mean), scale));
  const y = tf.tensor1d(Float32Array.from(train.labels));
  const xt = tf.tidy(() => tf.div(tf.sub(tf.tensor2d(test.features, [test.labels.length, test.width]), mean), scale));
  try {
    await model.fit(x, y, { epochs: 50, batchSize: 64, shuffle: true, verbose: 0 });
    const probs = model.predict(xt) as tf.Tensor;
    const predicted = tf.argMax(probs, 1);
    const out = Int32Array.from(await predicted.data());
    tf.dispose([probs, predicted]);
    return out;
  } finally {
    tf.dispose([x, y, xt, mean, scale]);
    model.dispose();
  }
}

function standardizer(set: FeatureSet): { mean: tf.Tensor; scale: tf.Tensor } {
  return tf.tidy(() => {
    const x = tf.tensor2d(set.features, [set.labels.length, set.width]);
    const { mean, variance } = tf.moments(x, 0);
    return { mean: tf.keep(mean), scale: tf.keep(tf.add(tf.sqrt(variance), 1e-6)) };
  });
}

/** Nearest class mean (euclidean). */
function centroidProbe(train: FeatureSet, test: FeatureSet): Int32Array {
  const { width, classes } = train;
  const centroids = new Float64Array(classes * width);
  const counts = new Float64Array(classes);
  train.labels.forEach((label, i) => {
    counts[label]!++;
    for (let j = 0; j < width; j++) centroids[label * width + j]! += train.features[i * width + j]!;
  });
  for (let c = 0; c < classes; c++) for (let j = 0; j < width; j++) centroids[c * width + j]! /= Math.max(counts[c]!, 1);
  return Int32Array.from({ length: test.labels.length }, (_, i) => {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < classes; c++) {
      let d = 0;
      for (let j = 0; j < width; j++) d += (test.features[i * width + j]! - centroids[c * width + j]!) ** 2;
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
    return best;
  });
}

/** Majority vote of the k nearest training examples (euclidean; ties to the nearest). */
function knnProbe(train: FeatureSet, test: FeatureSet, k: number): Int32Array {
  const { width } = train;
  const n = train.labels.length;
  return Int32Array.from({ length: test.labels.length }, (_, i) => {
    const distances = Array.from({ length: n }, (_, t) => {
      let d = 0;
      for (let j = 0; j < width; j++) d += (test.features[i * width + j]! - train.features[t * width + j]!) ** 2;
      return [d, t] as const;
    }).sort((a, b) => a[0] - b[0]).slice(0, k);
    const votes = new Map<number, number>();
    for (const [, t] of distances) votes.set(train.labels[t]!, (votes.get(train.labels[t]!) ?? 0) + 1);
    const top = Math.max(...votes.values());
    return distances.map(([, t]) => train.labels[t]!).find((label) => votes.get(label) === top)!;
  });
}
