import * as tf from '@tensorflow/tfjs-core';
import { spreadGradient } from './conv2d-backprop-input.js';
import { asTensor, padOrCrop } from './tensor-inputs.js';

type DepthwiseFilterAttrs = tf.DepthwiseConv2dNativeBackpropFilterAttrs;
type DepthwiseInputAttrs = tf.DepthwiseConv2dNativeBackpropInputAttrs;

function depthwiseInfo(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: DepthwiseFilterAttrs | DepthwiseInputAttrs,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode,
    true, 'channelsLast');
}

/**
 * Filter gradient of a depthwise convolution (MobileNet needs it; wasm lacks it).
 * Per filter tap, the strided window of the input times the output gradient, summed
 * over batch and space: kh*kw cheap elementwise passes instead of one convolution,
 * because the depthwise work is small and wasm has no grouped convolution.
 */
export const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as DepthwiseFilterAttrs;
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(inputs.x, 'x');
    const dy = asTensor<tf.Rank.R4>(inputs.dy, 'dy');
    const info = depthwiseInfo(x.shape, a.filterShape, a);
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw,
      dilationHeight: dh, dilationWidth: dw, outHeight: oh, outWidth: ow, padInfo } = info;
    const [batch, h, w, channels] = x.shape;
    const multiplier = a.filterShape[3];
    const needH = (kh - 1) * dh + (oh - 1) * sh + 1;
    const needW = (kw - 1) * dw + (ow - 1) * sw + 1;
    const xp = padOrCrop(x, padInfo.top, needH - h - padInfo.top, padInfo.left, needW - w - padInfo.left);
    const dy5 = tf.reshape(dy, [batch, oh, ow, channels, multiplier]);
    const taps: tf.Tensor[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const window = tf.stridedSlice(
          xp, [0, i * dh, j * dw, 0], [batch, i * dh + (oh - 1) * sh + 1, j * dw + (ow - 1) * sw + 1, channels],
          [1, sh, sw, 1]);
        const product = multiplier === 1
          ? tf.mul(window, dy)
          : tf.mul(tf.reshape(window, [batch, oh, ow, channels, 1]), dy5);
        taps.push(tf.sum(product, [0, 1, 2]));
      }
    }
    return tf.reshape(tf.stack(taps), [kh, kw, channels, multiplier]);
  });
};

/**
 * Input gradient of a depthwise convolution: a depthwise convolution of the spread
 * output gradient with the reversed filter; with a channel multiplier > 1, each of
 * the multiplier's outputs is convolved separately and their results summed.
 */
export const depthwiseBackpropInput: tf.KernelFunc = ({ inputs, attrs }) => {
  const a = attrs as unknown as DepthwiseInputAttrs;
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(inputs.dy, 'dy');
    const filter = asTensor<tf.Rank.R4>(inputs.filter, 'filter');
    const info = depthwiseInfo(a.inputShape, filter.shape, a);
    const [kh, kw, channels, multiplier] = filter.shape;
    const z = spreadGradient(dy, info);
    const reversed = tf.reshape<tf.Rank.R4>(tf.reverse(filter, [0, 1]), [kh, kw, channels * multiplier, 1]);
    const dilations: [number, number] = [info.dilationHeight, info.dilationWidth];
    const dx = tf.depthwiseConv2d(z, reversed, 1, 'valid', 'NHWC', dilations);
    if (multiplier === 1) return dx;
    const [batch, h, w] = dx.shape;
    return tf.sum(tf.reshape(dx, [batch, h, w, channels, multiplier]), 4);
  });
};
