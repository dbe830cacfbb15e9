import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { on, wasmAndCpu } from '../support/backends.js';
import { randomArray, randomInt, relativeError, rng, testSeed } from '../support/random.js';

beforeAll(wasmAndCpu);

// Every layer kind whose gradient tlx's wasm kernels provide, in one small model.
function smallNet(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [12, 12, 3], filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      // No bias before batch norm: its true gradient is 0, so both backends would
      // return rounding noise, which cannot be compared.
      tfl.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', useBias: false }),
      tfl.layers.batchNormalization(),
      tfl.layers.reLU({ maxValue: 6 }),
      tfl.layers.conv2d({ filters: 8, kernelSize: 1 }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 16, activation: 'relu' }),
      tfl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
}

async function train(backend: 'wasm' | 'cpu', init: Float32Array[], x: Float32Array, y: Float32Array, batch: number) {
  return on(backend, async () => {
    const model = smallNet();
    model.setWeights(init.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor4d(x, [batch, 12, 12, 3]);
    const ys = tf.tensor2d(y, [batch, 4]);
    for (let step = 0; step < 5; step++) await model.trainOnBatch(xs, ys);
    const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    tf.dispose([xs, ys]);
    model.dispose();
    return weights;
  });
}

it('a small convnet trained 5 steps on wasm ends with the weights cpu reaches', async () => {
  const seed = testSeed();
  const next = rng(seed);
  const batch = randomInt(next, 4, 10);
  const init = await on('cpu', () => {
    const model = smallNet();
    const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    model.dispose();
    return weights;
  });
  const x = randomArray(next, batch * 12 * 12 * 3);
  const y = new Float32Array(batch * 4);
  for (let i = 0; i < batch; i++) y[i * 4 + randomInt(next, 0, 3)] = 1;

  const onCpu = await train('cpu', init, x, y, batch);
  const onWasm = await train('wasm', init, x, y, batch);
  expect(onWasm.length).toBe(onCpu.length);
  onCpu.forEach((w, i) => {
    // Training must have moved the weights, or the comparison proves nothing.
    if (i % 2 === 0) expect(relativeError(w, init[i]!), `weight ${i} did not change`).toBeGreaterThan(1e-6);
    expect(relativeError(onWasm[i]!, w), `seed ${seed}, weight ${i}`).toBeLessThan(1e-3);
  });
});
