import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/**
 * MaxPoolGrad: wasm's kernel takes ~80 ms on one Keras MNIST CNN batch. Each output
 * gradient goes to the first maximum of its window (row-major), as the cpu backend
 * and TensorFlow route it; channels are scanned together, innermost.
 */
export const maxPoolGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const dy = inputs.dy as tf.TensorInfo;
  const x = inputs.input as tf.TensorInfo;
  const g = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const { out, outView: dx, views } = heapViews(asHeapBackend(backend), { dy, x }, [...x.shape], 'float32');
  const xs = views.x;
  const dys = views.dy;
  const C = g.inChannels;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  dx.fill(0);
  for (let b = 0; b < g.batchSize; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      const y0 = oy * g.strideHeight - g.padInfo.top;
      for (let ox = 0; ox < g.outWidth; ox++) {
        const x0 = ox * g.strideWidth - g.padInfo.left;
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let iy = Math.max(0, y0); iy < Math.min(g.inHeight, y0 + g.filterHeight); iy++) {
          for (let ix = Math.max(0, x0); ix < Math.min(g.inWidth, x0 + g.filterWidth); ix++) {
            const base = ((b * g.inHeight + iy) * g.inWidth + ix) * C;
            for (let c = 0; c < C; c++) {
              const v = xs[base + c]!;
              if (v > best[c]!) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((b * g.outHeight + oy) * g.outWidth + ox) * C;
        for (let c = 0; c < C; c++) {
          const at = where[c]!;
          if (at >= 0) dx[at]! += dys[dyBase + c]!;
        }
      }
    }
  }
  return out;
};
