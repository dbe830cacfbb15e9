import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * MaxPoolGrad: wasm's kernel takes ~80 ms on one Keras MNIST CNN batch. Each output
 * gradient goes to the first maximum of its window (row-major), as the cpu backend
 * and TensorFlow route it; a SIMD loop scans four channels at a time.
 */
export const maxPoolGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const dy = inputs.dy as tf.TensorInfo;
  const x = inputs.input as tf.TensorInfo;
  const heap = asHeapBackend(backend);
  const g = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const out = heap.makeOutput([...x.shape], 'float32');
  heap.typedArrayFromHeap(out).fill(0);
  const geometry = {
    batch: g.batchSize, inH: g.inHeight, inW: g.inWidth, channels: g.inChannels, multiplier: 1,
    outH: g.outHeight, outW: g.outWidth, filterH: g.filterHeight, filterW: g.filterWidth,
    strideH: g.strideHeight, strideW: g.strideWidth, dilationH: 1, dilationW: 1,
    padTop: g.padInfo.top, padLeft: g.padInfo.left,
  };
  withScratch(heap.wasm, geometry, [g.inChannels * 4], (gp, where) =>
    simdKernels(heap.wasm).maxPoolGrad(gp, offsetOf(heap, x), offsetOf(heap, dy), offsetOf(heap, out), where!));
  return out;
};
