import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageArchitectureOptions } from './options.js';

type T = tfl.SymbolicTensor;

/**
 * A small ResNet (He et al. 2016) for small images: a 3x3 stem and three stages of
 * two basic residual blocks (16, 32, 64 filters; stages 2 and 3 halve the size),
 * batch norm, global average pooling. Names: stem, stage{s}_block{b}_*, pool.
 */
export function resnetMini({ inputShape, classes }: ImageArchitectureOptions): tfl.LayersModel {
  const input = tfl.input({ shape: [...inputShape], name: 'input' });
  const apply = (layer: tfl.layers.Layer, ...x: T[]) => layer.apply(x.length === 1 ? x[0]! : x) as T;
  const convBn = (x: T, filters: number, stride: number, name: string, relu = true) => {
    let y = apply(tfl.layers.conv2d({ filters, kernelSize: 3, strides: stride, padding: 'same', useBias: false, name: `${name}_conv` }), x);
    y = apply(tfl.layers.batchNormalization({ name: `${name}_bn` }), y);
    return relu ? apply(tfl.layers.activation({ activation: 'relu', name: `${name}_relu` }), y) : y;
  };
  let x = convBn(input, 16, 1, 'stem');
  [16, 32, 64].forEach((filters, s) => {
    for (let b = 1; b <= 2; b++) {
      const name = `stage${s + 1}_block${b}`;
      const stride = s > 0 && b === 1 ? 2 : 1;
      const shortcut = stride === 1 && (s === 0 || b > 1)
        ? x
        : apply(tfl.layers.conv2d({ filters, kernelSize: 1, strides: stride, useBias: false, name: `${name}_shortcut` }), x);
      const y = convBn(convBn(x, filters, stride, `${name}_a`), filters, 1, `${name}_b`, false);
      x = apply(tfl.layers.activation({ activation: 'relu', name: `${name}_out` }), apply(tfl.layers.add({ name: `${name}_add` }), y, shortcut));
    }
  });
  x = apply(tfl.layers.globalAveragePooling2d({ name: 'pool' }), x);
  const output = apply(tfl.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: output, name: 'resnet_mini' });
}
