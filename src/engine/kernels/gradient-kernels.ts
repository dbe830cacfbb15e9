import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * Kernels that compute a whole op's gradient in one pass, where tfjs-core's
 * gradient is a chain of broadcasting elementwise ops (each a slow generic path
 * on wasm). gradients.ts routes the ops' gradients here when the backend has them.
 */
export const CLIP_GRAD = 'TlxClipByValueGrad';
export const BATCH_NORM_GRAD = 'TlxFusedBatchNormGrad';
/** dy where lo < x <= hi: the gradient of ReLU (0, infinity) and ReLU6 (0, 6). */
export const BAND_GRAD = 'TlxBandGrad';

export interface BandGradAttrs {
  readonly lo: number;
  readonly hi: number;
}

export const clipByValueGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { clipValueMin, clipValueMax } = attrs as unknown as tf.ClipByValueAttrs;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const heap = asHeapBackend(backend);
  const out = heap.makeOutput([...x.shape], 'float32');
  simdKernels(heap.wasm).clipGrad(offsetOf(heap, x), offsetOf(heap, dy), tf.util.sizeFromShape(x.shape),
    clipValueMin, clipValueMax, offsetOf(heap, out));
  return out;
};

export const bandGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { lo, hi } = attrs as unknown as BandGradAttrs;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const heap = asHeapBackend(backend);
  const out = heap.makeOutput([...x.shape], 'float32');
  simdKernels(heap.wasm).bandGrad(offsetOf(heap, x), offsetOf(heap, dy), tf.util.sizeFromShape(x.shape), lo, hi,
    offsetOf(heap, out));
  return out;
};

/**
 * Outputs [dx, dmean, dvariance, dscale, doffset] of batch normalisation with
 * per-channel (rank-1) statistics over channels-last x.
 */
export const fusedBatchNormGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
  const { x, dy, mean, variance, scale } = inputs as Record<string, tf.TensorInfo>;
  const heap = asHeapBackend(backend);
  const channels = mean!.shape[0]!;
  const rows = tf.util.sizeFromShape(x!.shape) / channels;
  const dx = heap.makeOutput([...x!.shape], 'float32');
  const perChannel = [0, 1, 2, 3].map(() => heap.makeOutput([channels], 'float32'));
  const [dmean, dvariance, dscale, doffset] = perChannel as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  withScratch(heap.wasm, undefined, [channels * 8, channels * 16], (_, part, acc) =>
    simdKernels(heap.wasm).batchNormGrad(
      offsetOf(heap, x!), offsetOf(heap, dy!), offsetOf(heap, mean!), offsetOf(heap, variance!),
      scale ? offsetOf(heap, scale) : 0, varianceEpsilon, rows, channels,
      offsetOf(heap, dx), offsetOf(heap, dmean), offsetOf(heap, dvariance), offsetOf(heap, dscale),
      offsetOf(heap, doffset), part!, acc!));
  return [dx, dmean, dvariance, dscale, doffset];
};
