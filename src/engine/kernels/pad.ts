import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/**
 * PadV2 (constant padding) as a fill and block copies of the input's contiguous
 * rows; wasm's kernel goes element by element. ZeroPadding2D layers and the
 * composed convolution gradients pad large activations every step.
 */
export const pad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { paddings, constantValue } = attrs as unknown as tf.PadV2Attrs;
  const x = inputs.x as tf.TensorInfo;
  const shape = x.shape;
  const outShape = shape.map((d, i) => (paddings[i]?.[0] ?? 0) + d + (paddings[i]?.[1] ?? 0));
  const { out, outView: dst, views } = heapViews(asHeapBackend(backend), { x }, outShape, x.dtype);
  dst.fill(constantValue);
  const src = views.x;
  if (src.length === 0) return out;
  const rank = shape.length;
  const dstStride = new Array<number>(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) dstStride[k] = dstStride[k + 1]! * outShape[k + 1]!;
  // Each run is one input row along the last axis; rows of the other axes are iterated.
  const run = shape[rank - 1]!;
  const rows = src.length / run;
  const index = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let at = paddings[rank - 1]?.[0] ?? 0;
    for (let k = 0; k < rank - 1; k++) at += (index[k]! + (paddings[k]?.[0] ?? 0)) * dstStride[k]!;
    dst.set(src.subarray(r * run, r * run + run), at);
    for (let k = rank - 2; k >= 0; k--) {
      if (++index[k]! < shape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
};
