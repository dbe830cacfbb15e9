import * as tfl from '@tensorflow/tfjs-layers';

export interface MobileNetV2Options {
  /** Width multiplier: 0.35, 0.5, 0.75, 1, 1.3 or 1.4 in the published models. */
  readonly alpha: number;
  /** Input side, or [height, width]; 96..224 in the published models. */
  readonly size: number | readonly [number, number];
  readonly channels?: number;
  readonly classes: number;
}

// Output channels (at alpha 1), expansion and depthwise stride of the 17 inverted
// residual blocks (expanded_conv, block_1 ... block_16).
const BLOCKS: readonly (readonly [filters: number, expansion: number, stride: 1 | 2])[] = [
  [16, 1, 1], [24, 6, 2], [24, 6, 1], [32, 6, 2], [32, 6, 1], [32, 6, 1],
  [64, 6, 2], [64, 6, 1], [64, 6, 1], [64, 6, 1], [96, 6, 1], [96, 6, 1], [96, 6, 1],
  [160, 6, 2], [160, 6, 1], [160, 6, 1], [320, 6, 1],
];

/** Keras' _make_divisible: channels rounded to a multiple of 8, never below 8 or 90% of `v`. */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/**
 * MobileNetV2 as Keras builds it (keras.applications.MobileNetV2, the version the
 * published weights come from), with its layer names (Conv1_pad, Conv1, bn_Conv1,
 * expanded_conv_*, block_1_expand ... block_16_project_BN, Conv_1, out_relu), so a
 * config written for the published model runs unchanged on one tlx trains; then
 * global_average_pooling2d and a softmax `predictions` over the classes.
 */
export function mobilenetV2(options: MobileNetV2Options): tfl.LayersModel {
  const { alpha, channels = 3, classes } = options;
  const [height, width] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
  const input = tfl.input({ shape: [height, width, channels], name: 'input_1' });
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor) => layer.apply(x) as tfl.SymbolicTensor;
  const bn = (x: tfl.SymbolicTensor, name: string) =>
    apply(tfl.layers.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name }), x);
  const relu6 = (x: tfl.SymbolicTensor, name: string) => apply(tfl.layers.reLU({ maxValue: 6, name }), x);
  const pointwise = (x: tfl.SymbolicTensor, filters: number, name: string, padding: 'same' | 'valid' = 'same') =>
    apply(tfl.layers.conv2d({ filters, kernelSize: 1, padding, useBias: false, name }), x);
  // Before a strided 3x3 'valid' convolution, the padding 'same' would add (Keras' correct_pad).
  const pad = (x: tfl.SymbolicTensor, name: string) => {
    const side = (n: number | null): [number, number] => (n ?? 0) % 2 === 0 ? [0, 1] : [1, 1];
    return apply(tfl.layers.zeroPadding2d({ padding: [side(x.shape[1]!), side(x.shape[2]!)], name }), x);
  };

  let x = pad(input, 'Conv1_pad');
  x = apply(tfl.layers.conv2d({ filters: makeDivisible(32 * alpha), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'Conv1' }), x);
  x = relu6(bn(x, 'bn_Conv1'), 'Conv1_relu');
  BLOCKS.forEach(([filters, expansion, stride], id) => {
    const inputs = x;
    const inChannels = x.shape[3]!;
    const outChannels = makeDivisible(Math.trunc(filters * alpha));
    const prefix = id === 0 ? 'expanded_conv_' : `block_${id}_`;
    if (id > 0) x = relu6(bn(pointwise(x, expansion * inChannels, `${prefix}expand`), `${prefix}expand_BN`), `${prefix}expand_relu`);
    if (stride === 2) x = pad(x, `${prefix}pad`);
    x = apply(tfl.layers.depthwiseConv2d({
      kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `${prefix}depthwise`,
    }), x);
    x = relu6(bn(x, `${prefix}depthwise_BN`), `${prefix}depthwise_relu`);
    x = bn(pointwise(x, outChannels, `${prefix}project`), `${prefix}project_BN`);
    if (stride === 1 && inChannels === outChannels) x = tfl.layers.add({ name: `${prefix}add` }).apply([inputs, x]) as tfl.SymbolicTensor;
  });
  x = pointwise(x, alpha > 1 ? makeDivisible(1280 * alpha) : 1280, 'Conv_1', 'valid');
  x = relu6(bn(x, 'Conv_1_bn'), 'out_relu');
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  const output = apply(tfl.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  const side = height === width ? `${height}` : `${height}x${width}`;
  return tfl.model({ inputs: input, outputs: output, name: `mobilenetv2_${alpha.toFixed(2)}_${side}` });
}
