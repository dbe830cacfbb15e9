import * as tf from '@tensorflow/tfjs-core';
import { isPointwise } from './conv2d-backprop-filter.js';
import { asTensor, fromNhwc, insertZeros, padOrCrop, toNhwc } from './tensor-inputs.js';

/**
 * Input gradient of Conv2D. wasm's own kernel is a scalar loop about 10x slower than
 * its Conv2D; this one is a Conv2D (XNNPACK) of the zero-inserted, padded output
 * gradient with the spatially reversed filter whose in/out channels are swapped.
 */
export const conv2dBackpropInput: tf.KernelFunc = ({ inputs, attrs }) => {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as tf.Conv2DBackpropInputAttrs;
  return tf.tidy(() => {
    const dy = toNhwc(asTensor<tf.Rank.R4>(inputs.dy, 'dy'), dataFormat);
    const filter = asTensor<tf.Rank.R4>(inputs.filter, 'filter');
    const xShape = dataFormat === 'NCHW'
      ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]] as [number, number, number, number]
      : inputShape;
    const info = tf.backend_util.computeConv2DInfo(
      xShape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    if (isPointwise(info)) {
      // dx = dy W^T, pixel by pixel.
      const [n, ci, co] = [info.batchSize * info.outHeight * info.outWidth, info.inChannels, info.outChannels];
      const dx = tf.matMul(tf.reshape(dy, [n, co]), tf.reshape(filter, [ci, co]), false, true);
      return fromNhwc(tf.reshape(dx, xShape), dataFormat);
    }
    const z = spreadGradient(dy, info);
    const reversed = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const dx = tf.conv2d(z, reversed, 1, 'valid', 'NHWC', [info.dilationHeight, info.dilationWidth]);
    return fromNhwc(dx, dataFormat);
  });
};

/**
 * The output gradient laid out so that a stride-1 "valid" correlation with the
 * reversed filter gives the input gradient: zeros between elements (stride) and
 * borders so every input position sees the filter taps that touched it.
 */
function spreadGradient(dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const { inHeight, inWidth, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const effH = (info.filterHeight - 1) * info.dilationHeight;
  const effW = (info.filterWidth - 1) * info.dilationWidth;
  const up = insertZeros(dy, sh, sw);
  const top = effH - padInfo.top;
  const left = effW - padInfo.left;
  const bottom = inHeight + effH - top - up.shape[1];
  const right = inWidth + effW - left - up.shape[2];
  return padOrCrop(up, top, bottom, left, right);
}
