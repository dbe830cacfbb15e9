import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/** Shorter contiguous runs than this are left to wasm's own kernel. */
const MIN_RUN = 16;

/**
 * PadV2 (constant padding) as a fill and block copies. Past the last padded axis,
 * input and output are laid out alike, so each input block from there on lands
 * contiguously in the output. wasm's kernel goes element by element, and
 * ZeroPadding2D layers pad large activations every step.
 */
export function blockPad(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { paddings, constantValue } = args.attrs as unknown as tf.PadV2Attrs;
    const x = args.inputs.x as tf.TensorInfo;
    const shape = x.shape;
    const rank = shape.length;
    let last = rank - 1;
    while (last >= 0 && (paddings[last]?.[0] ?? 0) === 0 && (paddings[last]?.[1] ?? 0) === 0) last--;
    const run = tf.util.sizeFromShape(shape.slice(Math.max(last, 0)));
    if (last < 0 || run < MIN_RUN) return original(args);

    const outShape = shape.map((d, i) => (paddings[i]?.[0] ?? 0) + d + (paddings[i]?.[1] ?? 0));
    const { out, outView: dst, views } = heapViews(asHeapBackend(args.backend), { x }, outShape, x.dtype);
    dst.fill(constantValue);
    const src = views.x;
    const dstStride = new Array<number>(rank).fill(1);
    for (let k = rank - 2; k >= 0; k--) dstStride[k] = dstStride[k + 1]! * outShape[k + 1]!;
    const lead = (paddings[last]?.[0] ?? 0) * dstStride[last]!;
    const index = new Array<number>(last).fill(0);
    for (let from = 0; from < src.length; from += run) {
      let at = lead;
      for (let k = 0; k < last; k++) at += (index[k]! + (paddings[k]?.[0] ?? 0)) * dstStride[k]!;
      dst.set(src.subarray(from, from + run), at);
      for (let k = last - 1; k >= 0; k--) {
        if (++index[k]! < shape[k]!) break;
        index[k] = 0;
      }
    }
    return out;
  };
}
