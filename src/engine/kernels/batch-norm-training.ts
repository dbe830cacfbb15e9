import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * Batch normalisation in training as one kernel: channels-last x normalised with
 * its own per-channel statistics. tfjs-layers computes it as moments (Mean, Sub,
 * Square, Mean) then FusedBatchNorm, and its gradient as about a dozen elementwise
 * ops over the whole activation; here it is three passes forward and two back.
 * Inputs x, scale, offset (rank 1, one per channel); outputs [y, mean, variance].
 */
export const BATCH_NORM_TRAINING = 'TlxBatchNormTraining';
/** Inputs x, dy, mean, variance, scale, dmean, dvariance; outputs [dx, dscale, doffset]. */
export const BATCH_NORM_TRAINING_GRAD = 'TlxBatchNormTrainingGrad';

export interface BatchNormTrainingAttrs {
  readonly varianceEpsilon: number;
}

export const batchNormTraining: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { varianceEpsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const { x, scale, offset } = inputs as Record<string, tf.TensorInfo>;
  const heap = asHeapBackend(backend);
  const channels = x!.shape[x!.shape.length - 1]!;
  const rows = tf.util.sizeFromShape(x!.shape) / channels;
  const y = heap.makeOutput([...x!.shape], 'float32');
  const mean = heap.makeOutput([channels], 'float32');
  const variance = heap.makeOutput([channels], 'float32');
  withScratch(heap.wasm, undefined, [channels * 4, channels * 8, channels * 4, channels * 4], (_, part, acc, k, b) =>
    simdKernels(heap.wasm).batchNormTrain(offsetOf(heap, x!), offsetOf(heap, scale!), offsetOf(heap, offset!),
      varianceEpsilon, rows, channels, 1 / rows, offsetOf(heap, y), offsetOf(heap, mean), offsetOf(heap, variance),
      part!, acc!, k!, b!));
  return [y, mean, variance];
};

export const batchNormTrainingGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { varianceEpsilon } = attrs as unknown as BatchNormTrainingAttrs;
  const { x, dy, mean, variance, scale, dmean, dvariance } = inputs as Record<string, tf.TensorInfo>;
  const heap = asHeapBackend(backend);
  const channels = mean!.shape[0]!;
  const rows = tf.util.sizeFromShape(x!.shape) / channels;
  const dx = heap.makeOutput([...x!.shape], 'float32');
  const dscale = heap.makeOutput([channels], 'float32');
  const doffset = heap.makeOutput([channels], 'float32');
  const at = (t: tf.TensorInfo) => offsetOf(heap, t);
  withScratch(heap.wasm, undefined, [channels * 8, channels * 16, channels * 12], (_, part, acc, coef) =>
    simdKernels(heap.wasm).batchNormTrainGrad(at(x!), at(dy!), at(mean!), at(variance!), at(scale!), at(dmean!),
      at(dvariance!), varianceEpsilon, rows, channels, at(dx), at(dscale), at(doffset), part!, acc!, coef!));
  return [dx, dscale, doffset];
};
