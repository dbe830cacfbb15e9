import * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend, heapViews } from './wasm-heap.js';

type FilterAttrs = tf.DepthwiseConv2dNativeBackpropFilterAttrs;
type InputAttrs = tf.DepthwiseConv2dNativeBackpropInputAttrs;

// Depthwise gradients are little arithmetic (kh*kw multiply-adds per element) and
// wasm has no grouped convolution to compose them from, so they are direct loops
// over the wasm heap, channels innermost (contiguous in NHWC).

function geometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: FilterAttrs | InputAttrs,
) {
  const info = tf.backend_util.computeConv2DInfo(
    xShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true, 'channelsLast');
  return { ...info, multiplier: filterShape[3] };
}

/** Filter gradient: accumulated in float64, since each tap sums batch x space terms. */
export const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as FilterAttrs;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const g = geometry(x.shape as [number, number, number, number], a.filterShape, a);
  const { out, outView, views } = heapViews(asHeapBackend(backend), { x, dy }, [...a.filterShape], 'float32');
  const xs = views.x;
  const dys = views.dy;
  const C = g.inChannels;
  const M = g.multiplier;
  const CM = C * M;
  const acc = new Float64Array(g.filterHeight * g.filterWidth * CM);
  for (let b = 0; b < g.batchSize; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let i = 0; i < g.filterHeight; i++) {
        const iy = oy * g.strideHeight + i * g.dilationHeight - g.padInfo.top;
        if (iy < 0 || iy >= g.inHeight) continue;
        for (let ox = 0; ox < g.outWidth; ox++) {
          const dyBase = ((b * g.outHeight + oy) * g.outWidth + ox) * CM;
          for (let j = 0; j < g.filterWidth; j++) {
            const ix = ox * g.strideWidth + j * g.dilationWidth - g.padInfo.left;
            if (ix < 0 || ix >= g.inWidth) continue;
            const xBase = ((b * g.inHeight + iy) * g.inWidth + ix) * C;
            const wBase = (i * g.filterWidth + j) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[wBase + c]! += xs[xBase + c]! * dys[dyBase + c]!;
            } else {
              for (let c = 0; c < C; c++) {
                const xv = xs[xBase + c]!;
                for (let m = 0; m < M; m++) acc[wBase + c * M + m]! += xv * dys[dyBase + c * M + m]!;
              }
            }
          }
        }
      }
    }
  }
  outView.set(acc);
  return out;
};

/** Input gradient: each output gradient scattered back through the filter taps. */
export const depthwiseBackpropInput: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as InputAttrs;
  const dy = inputs.dy as tf.TensorInfo;
  const filter = inputs.filter as tf.TensorInfo;
  const g = geometry(a.inputShape, filter.shape as [number, number, number, number], a);
  const { out, outView: dx, views } = heapViews(asHeapBackend(backend), { dy, filter }, [...a.inputShape], 'float32');
  const dys = views.dy;
  const w = views.filter;
  const C = g.inChannels;
  const M = g.multiplier;
  const CM = C * M;
  dx.fill(0);
  for (let b = 0; b < g.batchSize; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let i = 0; i < g.filterHeight; i++) {
        const iy = oy * g.strideHeight + i * g.dilationHeight - g.padInfo.top;
        if (iy < 0 || iy >= g.inHeight) continue;
        for (let ox = 0; ox < g.outWidth; ox++) {
          const dyBase = ((b * g.outHeight + oy) * g.outWidth + ox) * CM;
          for (let j = 0; j < g.filterWidth; j++) {
            const ix = ox * g.strideWidth + j * g.dilationWidth - g.padInfo.left;
            if (ix < 0 || ix >= g.inWidth) continue;
            const xBase = ((b * g.inHeight + iy) * g.inWidth + ix) * C;
            const wBase = (i * g.filterWidth + j) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) dx[xBase + c]! += w[wBase + c]! * dys[dyBase + c]!;
            } else {
              for (let c = 0; c < C; c++) {
                let sum = 0;
                for (let m = 0; m < M; m++) sum += w[wBase + c * M + m]! * dys[dyBase + c * M + m]!;
                dx[xBase + c]! += sum;
              }
            }
          }
        }
      }
    }
  }
  return out;
};
