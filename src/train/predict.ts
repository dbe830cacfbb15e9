import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { range } from '../data/range.js';
import type { Inputs } from './inputs.js';
import { inferenceBatchSize } from '../engine/memory-budget.js';

/** Model outputs (class probabilities, or features) for a whole set, in batches. */
export function predictProbabilities(model: tfl.LayersModel, inputs: Inputs, batchSize = inferenceBatchSize(model, 256, tf.getBackend())): Promise<Float32Array> {
  return batchOutputs(inputs, batchSize, (x) => model.predict(x) as tf.Tensor);
}

/**
 * `forward` of every batch of a set, its per-example outputs concatenated into one
 * array. Read asynchronously: webgpu has no synchronous read under Node.
 */
export async function batchOutputs(inputs: Inputs, batchSize: number, forward: (batch: tf.Tensor) => tf.Tensor): Promise<Float32Array> {
  const n = inputs.count;
  let out: Float32Array | undefined;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const y = tf.tidy(() => forward(inputs.batch(range(start, count))));
    const width = y.size / count;
    out ??= new Float32Array(n * width);
    out.set(await y.data() as Float32Array, start * width);
    y.dispose();
  }
  return out ?? new Float32Array(0);
}

/** Argmax per row. */
export function argmaxRows(probs: Float32Array, width: number): Int32Array {
  const n = probs.length / width;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < width; c++) if (probs[i * width + c]! > probs[i * width + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** Mean cross-entropy of the true labels. */
export function crossEntropy(probs: Float32Array, labels: Int32Array, width: number): number {
  let sum = 0;
  labels.forEach((label, i) => {
    sum -= Math.log(Math.max(probs[i * width + label]!, 1e-7));
  });
  return labels.length === 0 ? 0 : sum / labels.length;
}

/** A test example the model got wrong: its index in the set, its class, the class given and that class's probability. */
export interface Mistake {
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  readonly probability: number;
}

/** The `k` test examples misclassified with the highest confidence (ties by index), for a report to show. */
export function confidentMistakes(probs: Float32Array, labels: Int32Array, predicted: Int32Array, classes: number, k: number): Mistake[] {
  const wrong: Mistake[] = [];
  predicted.forEach((p, index) => {
    if (p !== labels[index]) wrong.push({ index, label: labels[index]!, predicted: p, probability: probs[index * classes + p]! });
  });
  return wrong.sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, k);
}

/** A class and the probability the model gives it. */
export interface ClassProbability {
  readonly label: string;
  readonly probability: number;
}

/** The `k` most probable classes of row `row` of a probability table (one column per label), most probable first. */
export function topClasses(probs: Float32Array, labels: readonly string[], row: number, k: number): ClassProbability[] {
  return labels.map((label, j) => ({ label, probability: probs[row * labels.length + j]! }))
    .sort((a, b) => b.probability - a.probability).slice(0, k);
}
