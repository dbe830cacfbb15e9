import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { range } from '../data/batches.js';
import type { Inputs } from './inputs.js';

/** Model outputs (class probabilities, or features) for a whole set, in batches. */
export function predictProbabilities(model: tfl.LayersModel, inputs: Inputs, batchSize = 256): Float32Array {
  const n = inputs.count;
  let out: Float32Array | undefined;
  let width = 0;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => model.predict(inputs.batch(range(start, count))) as tf.Tensor);
    const values = probs.dataSync() as Float32Array;
    width = probs.size / count;
    probs.dispose();
    out ??= new Float32Array(n * width);
    out.set(values, start * width);
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
