// The convnet wasm-threads.test.ts trains, shared with its child process: every layer
// kind whose gradient tlx's wasm kernels provide. `tfl` is @tensorflow/tfjs-layers.
export function smallNet(tfl, inputShape) {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape, filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU({ maxValue: 6 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 1 }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 32, activation: 'relu' }),
      tfl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
}
