import * as tf from '@tensorflow/tfjs-core';
import { type ImageSet, imageSize } from './image-set.js';

/** Float pixels in [0, 1] for the examples at `indices` (or a contiguous range). */
export function imageBatch(set: ImageSet, indices: ArrayLike<number>): tf.Tensor4D {
  const size = imageSize(set);
  const values = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * size;
    const to = i * size;
    for (let k = 0; k < size; k++) values[to + k] = set.pixels[from + k]! / 255;
  }
  return tf.tensor4d(values, [indices.length, ...set.shape]);
}

export function labelBatch(set: ImageSet, indices: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from({ length: indices.length }, (_, i) => set.labels[indices[i]!]!));
}

export function range(start: number, count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => start + i);
}
