import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, simdKernels, withScratch } from '../simd/tlx-kernels.js';
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
  const geometry = convGeometry({ ...g, outChannels: g.inChannels });
  withScratch(heap.wasm, geometry, [g.inChannels * 4], (gp, where) =>
    simdKernels(heap.wasm).maxPoolGrad(gp, offsetOf(heap, x), offsetOf(heap, dy), offsetOf(heap, out), where!));
  return out;
};
