import * as tf from '@tensorflow/tfjs-core';

/**
 * wasm's convolutions (Conv2D, FusedConv2D and their depthwise kinds) get 'same'
 * padding wrong where it pads nothing: a filter narrower than the stride over a size
 * the stride divides (width 2, stride 3, 21 steps) gives zeros or shifted values
 * (checked against cpu; pooling is right). They are handed the same padding as
 * explicit amounts, which they compute correctly.
 */
export function explicitSamePadding(depthwise: boolean): (original: tf.KernelFunc) => tf.KernelFunc {
  return (original) => (args) => {
    const attrs = args.attrs as unknown as tf.Conv2DAttrs;
    const x = args.inputs.x as tf.TensorInfo;
    const filter = args.inputs.filter as tf.TensorInfo;
    if (attrs.pad !== 'same' || (attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x.shape.length !== 4) return original(args);
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number], attrs.strides, attrs.dilations ?? 1, 'same',
      attrs.dimRoundingMode, depthwise);
    const { top, bottom, left, right } = info.padInfo;
    const pad: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    return original({ ...args, attrs: { ...args.attrs, pad } as unknown as tf.NamedAttrMap });
  };
}
