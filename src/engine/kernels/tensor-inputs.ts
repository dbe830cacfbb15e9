import * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../../errors.js';

/**
 * The engine hands kernels the Tensor objects the op was called with, so tlx's
 * composed kernels can use tf.* ops on them. Checked, because a backend that passed
 * bare TensorInfos would otherwise fail far from the cause.
 */
export function asTensor<R extends tf.Rank>(info: tf.TensorInfo | undefined, name: string): tf.Tensor<R> {
  if (!(info instanceof tf.Tensor)) {
    throw new InternalError(`kernel input '${name}' is not a Tensor`);
  }
  return info as tf.Tensor<R>;
}

/** Kernels compute channels-last; NCHW callers are served by transposing around them. */
export function toNhwc(x: tf.Tensor4D, dataFormat: 'NHWC' | 'NCHW' | undefined): tf.Tensor4D {
  return dataFormat === 'NCHW' ? tf.transpose(x, [0, 2, 3, 1]) : x;
}

export function fromNhwc(x: tf.Tensor4D, dataFormat: 'NHWC' | 'NCHW' | undefined): tf.Tensor4D {
  return dataFormat === 'NCHW' ? tf.transpose(x, [0, 3, 1, 2]) : x;
}

/**
 * Pads (or, for negative amounts, crops) the two spatial axes of an NHWC tensor, so
 * a composed kernel can shape its operand exactly without computing then discarding.
 */
export function padOrCrop(
  x: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.Tensor4D {
  let y = x;
  const [, h, w] = y.shape;
  const cropTop = Math.max(0, -top);
  const cropBottom = Math.max(0, -bottom);
  const cropLeft = Math.max(0, -left);
  const cropRight = Math.max(0, -right);
  if (cropTop + cropBottom + cropLeft + cropRight > 0) {
    y = tf.slice(y, [0, cropTop, cropLeft, 0], [-1, h - cropTop - cropBottom, w - cropLeft - cropRight, -1]);
  }
  const padTop = Math.max(0, top);
  const padBottom = Math.max(0, bottom);
  const padLeft = Math.max(0, left);
  const padRight = Math.max(0, right);
  if (padTop + padBottom + padLeft + padRight > 0) {
    y = tf.pad(y, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]);
  }
  return y;
}

/**
 * Inserts stride-1 zeros between the spatial elements of an NHWC tensor (the
 * "dilated" output gradient of a strided convolution), through a reshape and one pad.
 * The result has (n - 1) * stride + 1 rows and columns.
 */
export function insertZeros(x: tf.Tensor4D, strideH: number, strideW: number): tf.Tensor4D {
  if (strideH === 1 && strideW === 1) return x;
  const [b, h, w, c] = x.shape;
  const spread = tf.pad(tf.reshape(x, [b, h, 1, w, 1, c]), [
    [0, 0], [0, 0], [0, strideH - 1], [0, 0], [0, strideW - 1], [0, 0],
  ]);
  const full: tf.Tensor4D = tf.reshape(spread, [b, h * strideH, w * strideW, c]);
  return tf.slice(full, [0, 0, 0, 0], [-1, (h - 1) * strideH + 1, (w - 1) * strideW + 1, -1]);
}
