import * as tf from '@tensorflow/tfjs-core';
import { type ConvGeometry, convGeometry, simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

type FilterAttrs = tf.DepthwiseConv2dNativeBackpropFilterAttrs;
type InputAttrs = tf.DepthwiseConv2dNativeBackpropInputAttrs;

// Depthwise gradients are little arithmetic (kh*kw multiply-adds per element) and
// wasm has no grouped convolution to compose them from, so they are direct SIMD
// loops (tlx-kernels.c) with the channels in the lanes.

function geometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: FilterAttrs | InputAttrs,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true, 'channelsLast');
  return convGeometry(info, filterShape[3]);
}

/** Filter gradient, summed per image in float32 and across images in float64. */
export const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as FilterAttrs;
  const x = inputs.x as tf.TensorInfo;
  const dy = inputs.dy as tf.TensorInfo;
  const heap = asHeapBackend(backend);
  const g = geometry(x.shape as [number, number, number, number], a.filterShape, a);
  const out = heap.makeOutput([...a.filterShape], 'float32');
  const size = tf.util.sizeFromShape(a.filterShape);
  withScratch(heap.wasm, g, [size * 4, size * 8], (gp, part, acc) =>
    simdKernels(heap.wasm).depthwiseFilterGrad(gp, offsetOf(heap, x), offsetOf(heap, dy), offsetOf(heap, out), part!, acc!));
  return out;
};

/** Input gradient: each output gradient scattered back through the filter taps. */
export const depthwiseBackpropInput: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as InputAttrs;
  const dy = inputs.dy as tf.TensorInfo;
  const filter = inputs.filter as tf.TensorInfo;
  const heap = asHeapBackend(backend);
  const g = geometry(a.inputShape, filter.shape as [number, number, number, number], a);
  const out = heap.makeOutput([...a.inputShape], 'float32');
  heap.typedArrayFromHeap(out).fill(0);
  withScratch(heap.wasm, g, [], (gp) =>
    simdKernels(heap.wasm).depthwiseInputGrad(gp, offsetOf(heap, dy), offsetOf(heap, filter), offsetOf(heap, out)));
  return out;
};
