import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * FusedBatchNorm with per-channel (rank-1) statistics as one SIMD pass,
 * y = x * k + b with k, b folded per channel; wasm's kernel broadcasts element by
 * element (~5 ns per value). Other shapes go to the original kernel.
 */
export function channelBatchNorm(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
    const { x, mean, variance, scale, offset } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const channels = x!.shape[x!.shape.length - 1]!;
    const perChannel = [mean, variance, scale, offset].every((t) => t == null || (t.shape.length === 1 && t.shape[0] === channels));
    if (!perChannel || x!.dtype !== 'float32') return original(args);
    const heap = asHeapBackend(args.backend);
    const out = heap.makeOutput([...x!.shape], 'float32');
    const at = (t: tf.TensorInfo | undefined) => (t == null ? 0 : offsetOf(heap, t));
    withScratch(heap.wasm, undefined, [channels * 4, channels * 4], (_, k, b) =>
      simdKernels(heap.wasm).batchNorm(at(x), at(mean), at(variance), at(scale), at(offset), varianceEpsilon,
        tf.util.sizeFromShape(x!.shape) / channels, channels, offsetOf(heap, out), k!, b!));
    return out;
  };
}
