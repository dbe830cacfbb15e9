import * as tfl from '@tensorflow/tfjs-layers';

export interface KerasMnistCnnOptions {
  readonly inputShape?: readonly [number, number, number];
  readonly classes: number;
}

/**
 * The convnet of the Keras MNIST example and its transfer-learning tutorial:
 * conv32 3x3, conv32 3x3, maxpool 2, dropout .25, flatten, dense 128, dropout .5,
 * softmax. Layer names are stable so configs can cut and freeze by name.
 */
export function kerasMnistCnn({ inputShape = [28, 28, 1], classes }: KerasMnistCnnOptions): tfl.Sequential {
  return tfl.sequential({
    name: 'keras_mnist_cnn',
    layers: [
      tfl.layers.conv2d({ name: 'conv1', inputShape: [...inputShape], filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
      tfl.layers.dropout({ name: 'dropout1', rate: 0.25 }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ name: 'dense', units: 128, activation: 'relu' }),
      tfl.layers.dropout({ name: 'dropout2', rate: 0.5 }),
      tfl.layers.dense({ name: 'predictions', units: classes, activation: 'softmax' }),
    ],
  });
}
