import * as tfl from '@tensorflow/tfjs-layers';

export interface MobileNetV1Options {
  /** Width multiplier: 0.25, 0.5, 0.75 or 1 in the published models. */
  readonly alpha: number;
  /** Square input side; 96..224 in the published models. */
  readonly size: number;
  readonly channels?: number;
  readonly classes: number;
  readonly dropout?: number;
}

// Pointwise filters (at alpha 1) and depthwise stride of the 13 separable blocks.
const BLOCKS: readonly (readonly [filters: number, stride: 1 | 2])[] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

/**
 * MobileNet v1 with the layer names of Keras' MobileNet (conv1, conv_dw_1,
 * conv_pw_1, ..., conv_pw_13_relu, conv_preds), so a config written for the
 * published TensorFlow.js MobileNet runs unchanged on one trained by tlx. Strided
 * convolutions pad bottom/right then use 'valid', as Keras does.
 */
export function mobilenetV1(options: MobileNetV1Options): tfl.LayersModel {
  const { alpha, size, channels = 3, classes, dropout = 1e-3 } = options;
  const width = (filters: number) => Math.max(1, Math.round(filters * alpha));
  const input = tfl.input({ shape: [size, size, channels], name: 'input_1' });
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;
  const bnRelu = (x: tfl.SymbolicTensor, name: string) =>
    apply(tfl.layers.reLU({ maxValue: 6, name: `${name}_relu` }),
      apply(tfl.layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.99, name: `${name}_bn` }), x));

  let x = apply(tfl.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'conv1_pad' }), input);
  x = apply(tfl.layers.conv2d({ filters: width(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1' }), x);
  x = bnRelu(x, 'conv1');
  BLOCKS.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) x = apply(tfl.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `conv_pad_${id}` }), x);
    x = apply(tfl.layers.depthwiseConv2d({
      kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `conv_dw_${id}`,
    }), x);
    x = bnRelu(x, `conv_dw_${id}`);
    x = apply(tfl.layers.conv2d({ filters: width(filters), kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}` }), x);
    x = bnRelu(x, `conv_pw_${id}`);
  });
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  x = apply(tfl.layers.reshape({ targetShape: [1, 1, width(1024)], name: 'reshape_1' }), x);
  x = apply(tfl.layers.dropout({ rate: dropout, name: 'dropout' }), x);
  x = apply(tfl.layers.conv2d({ filters: classes, kernelSize: 1, padding: 'same', name: 'conv_preds' }), x);
  x = apply(tfl.layers.reshape({ targetShape: [classes], name: 'reshape_2' }), x);
  const output = apply(tfl.layers.activation({ activation: 'softmax', name: 'act_softmax' }), x);
  return tfl.model({ inputs: input, outputs: output, name: `mobilenet_${alpha}_${size}` });
}
