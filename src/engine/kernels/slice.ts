import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/**
 * Slice as block copies of its contiguous runs. wasm's kernel copies element by
 * element (~35 ms for one padded MobileNet activation); the composed convolution
 * gradients slice every filter tap's window, so this is on the hot path.
 */
export const slice: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as tf.TensorInfo;
  const { begin, size } = attrs as unknown as tf.SliceAttrs;
  const [start, extent] = tf.slice_util.parseSliceParams(x, begin, size) as [number[], number[]];
  const { out, outView: dst, views } = heapViews(asHeapBackend(backend), { x }, extent, x.dtype);
  if (dst.length === 0) return out;
  const src = views.x;
  const shape = x.shape;
  const rank = shape.length;
  // Merge trailing dimensions the slice takes whole into one contiguous run.
  let run = 1;
  let d = rank - 1;
  while (d >= 0 && start[d] === 0 && extent[d] === shape[d]) run *= shape[d--]!;
  if (d < 0) {
    dst.set(src.subarray(0, run));
    return out;
  }
  run *= extent[d]!;
  const outer = d; // dimensions 0..d-1 are iterated; dimension d is inside each run
  const srcStride = new Array<number>(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) srcStride[k] = srcStride[k + 1]! * shape[k + 1]!;
  const index = new Array<number>(outer).fill(0);
  const count = outer === 0 ? 1 : tf.util.sizeFromShape(extent.slice(0, outer));
  const base = start.reduce((sum, s, k) => sum + s * srcStride[k]!, 0);
  let at = 0;
  for (let r = 0; r < count; r++) {
    let from = base;
    for (let k = 0; k < outer; k++) from += index[k]! * srcStride[k]!;
    dst.set(src.subarray(from, from + run), at);
    at += run;
    for (let k = outer - 1; k >= 0; k--) {
      if (++index[k]! < extent[k]!) break;
      index[k] = 0;
    }
  }
  return out;
};
