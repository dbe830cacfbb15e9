import * as tf from '@tensorflow/tfjs-core';
import { asTensor, padOrCrop, toNhwc } from './tensor-inputs.js';

/**
 * Filter gradient of Conv2D, which tfjs-backend-wasm lacks. It is itself a
 * convolution: with channels-in as the batch and the batch as channels-in, the input
 * correlated with the output gradient (dilated by the forward stride) yields
 * [in, kh, kw, out]. That runs on wasm's XNNPACK Conv2D, as fast as the forward pass.
 */
export const conv2dBackpropFilter: tf.KernelFunc = ({ inputs, attrs }) => {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  return tf.tidy(() => {
    const x = toNhwc(asTensor<tf.Rank.R4>(inputs.x, 'x'), dataFormat);
    const dy = toNhwc(asTensor<tf.Rank.R4>(inputs.dy, 'dy'), dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    if (isPointwise(info)) {
      // 1x1, stride 1, no padding: a plain matrix product, x^T dy.
      const [n, ci, co] = [info.batchSize * info.outHeight * info.outWidth, info.inChannels, info.outChannels];
      return tf.reshape(tf.matMul(tf.reshape(x, [n, ci]), tf.reshape(dy, [n, co]), true, false), filterShape);
    }
    return filterGradient(x, dy, info);
  });
};

/** A 1x1 convolution with stride 1 and no padding: a matrix product per pixel. */
export function isPointwise(info: tf.backend_util.Conv2DInfo): boolean {
  const p = info.padInfo;
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0;
}

function filterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, outHeight: oh, outWidth: ow, padInfo } = info;
  // Exactly the rows and columns the forward pass read, so the result is [kh, kw].
  const needH = (kh - 1) * dh + (oh - 1) * sh + 1;
  const needW = (kw - 1) * dw + (ow - 1) * sw + 1;
  const [, h, w] = x.shape;
  const xp = padOrCrop(x, padInfo.top, needH - h - padInfo.top, padInfo.left, needW - w - padInfo.left);
  const xT = tf.transpose(xp, [3, 1, 2, 0]); // [in, H, W, batch]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, batch, out]
  const g = tf.conv2d(xT, dyT, [dh, dw], 'valid', 'NHWC', [sh, sw]); // [in, kh, kw, out]
  return tf.transpose(g, [1, 2, 0, 3]);
}
