import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/**
 * Tile by block copies. Every Sum or Mean gradient broadcasts through Tile, and
 * wasm's element-by-element kernel spends ~120 ms on one 1.2M-element MobileNet
 * activation. Innermost rows are copied whole; each dimension's repeats double
 * with copyWithin.
 */
export const tile: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { reps } = attrs as unknown as tf.TileAttrs;
  const x = inputs.x as tf.TensorInfo;
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const r = x.shape.length === 0 ? [1] : reps;
  const outShape = shape.map((d, i) => d * (r[i] ?? 1));
  const { out, outView: dst, views } = heapViews(asHeapBackend(backend), { x }, x.shape.length === 0 ? [] : outShape, x.dtype);
  const src = views.x;
  const rank = shape.length;
  const srcStride = strides(shape);
  const dstStride = strides(outShape);

  const fill = (dim: number, srcAt: number, dstAt: number): void => {
    const n = shape[dim]!;
    if (dim === rank - 1) {
      dst.set(src.subarray(srcAt, srcAt + n), dstAt);
    } else {
      for (let i = 0; i < n; i++) fill(dim + 1, srcAt + i * srcStride[dim]!, dstAt + i * dstStride[dim]!);
    }
    const block = n * dstStride[dim]!;
    const total = block * (r[dim] ?? 1);
    for (let filled = block; filled < total; filled *= 2) {
      dst.copyWithin(dstAt + filled, dstAt, dstAt + Math.min(filled, total - filled));
    }
  };
  if (src.length > 0) fill(0, 0, 0);
  return out;
};

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}
