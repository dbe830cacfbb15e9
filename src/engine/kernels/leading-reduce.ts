import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * Sum and Mean over the leading axes (bias gradients, batch-norm statistics: all
 * but the channel axis of NHWC). wasm transposes the channels to the front first;
 * this is one SIMD pass that also accumulates in float64. Other reductions go to
 * the original kernel.
 */
export function leadingReduce(original: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const x = args.inputs.x as tf.TensorInfo;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const k = axes.length;
    const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return original(args);
    const heap = asHeapBackend(args.backend);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
    const inner = x.shape.slice(k);
    const width = tf.util.sizeFromShape(inner);
    const out = heap.makeOutput(keepDims ? [...new Array<number>(k).fill(1), ...inner] : inner, 'float32');
    withScratch(heap.wasm, undefined, [width * 4, width * 8], (_, part, acc) =>
      simdKernels(heap.wasm).sumLeading(offsetOf(heap, x), rows, width, mean ? 1 / rows : 1, offsetOf(heap, out), part!, acc!));
    return out;
  };
}
