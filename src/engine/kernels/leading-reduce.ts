import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/**
 * Sum and Mean over the leading axes (bias gradients, batch-norm statistics: all
 * but the channel axis of NHWC). wasm transposes the channels to the front first
 * and is ~10x slower than this single pass, which also accumulates in float64.
 * Other reductions go to the original kernel.
 */
export function leadingReduce(original: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args) => {
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const x = args.inputs.x as tf.TensorInfo;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const k = axes.length;
    const leading = k > 0 && k < x.shape.length && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return original(args);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
    const inner = x.shape.slice(k);
    const outShape = keepDims ? [...new Array<number>(k).fill(1), ...inner] : inner;
    const { out, outView, views } = heapViews(asHeapBackend(args.backend), { x }, outShape, 'float32');
    const src = views.x;
    const width = outView.length;
    const acc = new Float64Array(width);
    for (let r = 0; r < rows; r++) {
      const base = r * width;
      for (let c = 0; c < width; c++) acc[c]! += src[base + c]!;
    }
    if (mean) for (let c = 0; c < width; c++) acc[c]! /= rows;
    outView.set(acc);
    return out;
  };
}
