import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageArchitectureOptions } from './options.js';

/** LeNet-5 (LeCun et al. 1998) with ReLU and max pooling, as usually trained today. */
export function lenet5({ inputShape, classes }: ImageArchitectureOptions): tfl.Sequential {
  return tfl.sequential({
    name: 'lenet5',
    layers: [
      tfl.layers.conv2d({ name: 'conv1', inputShape: [...inputShape], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }),
      tfl.layers.conv2d({ name: 'conv2', filters: 16, kernelSize: 5, activation: 'relu' }),
      tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ name: 'fc1', units: 120, activation: 'relu' }),
      tfl.layers.dense({ name: 'fc2', units: 84, activation: 'relu' }),
      tfl.layers.dense({ name: 'predictions', units: classes, activation: 'softmax' }),
    ],
  });
}
