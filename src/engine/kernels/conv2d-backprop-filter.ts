import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asTensor, toNhwc } from './tensor-inputs.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * Filter gradient of Conv2D, which tfjs-backend-wasm lacks: a SIMD kernel
 * (conv_filter_grad in tlx-kernels.c) that keeps 4x8 tiles of the sums in
 * registers while an image's pixels stream by, so neither operand is transposed
 * or expanded into patches. NCHW inputs are transposed to channels-last first.
 */
export const conv2dBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const heap = asHeapBackend(backend);
  return tf.tidy(() => {
    const x = toNhwc(asTensor<tf.Rank.R4>(inputs.x, 'x'), dataFormat);
    const dy = toNhwc(asTensor<tf.Rank.R4>(inputs.dy, 'dy'), dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const out = heap.makeOutput([...filterShape], 'float32');
    withScratch(heap.wasm, convGeometry(info), [tf.util.sizeFromShape(filterShape) * 8], (gp, acc) =>
      simdKernels(heap.wasm).convFilterGrad(gp, offsetOf(heap, x), offsetOf(heap, dy), offsetOf(heap, out), acc!));
    return tf.engine().makeTensorFromTensorInfo(out);
  });
};

/** A 1x1 convolution with stride 1 and no padding: a matrix product per pixel. */
export function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  const p = info.padInfo;
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0;
}
