import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/**
 * Reverse along leading axes (a filter's spatial axes, in the Conv2D input
 * gradient) by block copies: wasm's element-by-element kernel takes ~6 ms on a
 * [1, 5, 300, 100] filter. Other reversals go to wasm's own kernel.
 */
export function leadingReverse(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const axes = tf.util.parseAxisParam((attrs as unknown as tf.ReverseAttrs).dims, x.shape);
    const lead = Math.max(-1, ...axes) + 1;
    const flipped = new Set(axes);
    // Leading means: the reversed axes and those before them, with a block after them to copy.
    if (lead === 0 || lead >= x.shape.length) return original(args);
    const block = tf.util.sizeFromShape(x.shape.slice(lead));
    const outer = x.shape.slice(0, lead);
    const { out, outView, views } = heapViews(asHeapBackend(backend), { x }, [...x.shape], x.dtype);
    const count = tf.util.sizeFromShape(outer);
    for (let i = 0; i < count; i++) {
      // The source block of output block i: its coordinates, flipped where asked.
      let rest = i;
      let source = 0;
      let stride = 1;
      for (let d = lead - 1; d >= 0; d--) {
        const n = outer[d]!;
        const c = rest % n;
        rest = (rest - c) / n;
        source += (flipped.has(d) ? n - 1 - c : c) * stride;
        stride *= n;
      }
      outView.set(views.x.subarray(source * block, (source + 1) * block), i * block);
    }
    return out;
  };
}
