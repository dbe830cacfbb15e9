import * as tf from '@tensorflow/tfjs-core';
import { convGeometry, simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asTensor, toNhwc } from './tensor-inputs.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * Filter gradient of Conv2D, which tfjs-backend-wasm lacks: a SIMD kernel
 * (conv_filter_grad in tlx-kernels.c) that keeps 4x8 tiles of the sums in
 * registers while an image's pixels stream by, so neither operand is transposed
 * or expanded into patches. A 1x1 convolution's is one tall A^T B (matmul_at_b).
 * NCHW inputs are transposed to channels-last first.
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
    const size = tf.util.sizeFromShape(filterShape);
    if (isPointwise(info)) {
      // x^T dy over every pixel of the batch, as a dense layer's weight gradient.
      const rows = info.batchSize * info.outHeight * info.outWidth;
      withScratch(heap.wasm, undefined, [size * 8], (_, acc) =>
        simdKernels(heap.wasm).matmulAtB(offsetOf(heap, x), offsetOf(heap, dy), rows, info.inChannels, info.outChannels,
          offsetOf(heap, out), acc!));
    } else {
      withScratch(heap.wasm, convGeometry(info), [size * 8], (gp, acc) =>
        simdKernels(heap.wasm).convFilterGrad(gp, offsetOf(heap, x), offsetOf(heap, dy), offsetOf(heap, out), acc!));
    }
    return tf.engine().makeTensorFromTensorInfo(out);
  });
};

/** A 1x1 convolution with stride 1 and no padding: a matrix product per pixel. */
export function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  const p = info.padInfo;
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0;
}
