import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { normalize } from '../../src/config/normalize.js';
import { pixelScale } from '../../src/data/images/batches.js';
import { loadData } from '../../src/data/load-data.js';
import { ARCHITECTURES } from '../../src/models/architectures/index.js';
import { withSeededMathRandom } from '../../src/random.js';
import { exampleSets } from '../../src/train/inputs.js';
import { wasmAndCpu } from '../support/backends.js';

// The Keras MNIST CNN protocol (Adadelta at learning rate 1.0, as the Keras examples
// train it) learns with tlx's Adadelta; with tfjs-core 4.22's, whose first step is
// the raw gradient times the learning rate, the same net on the same data stays
// at chance (issue 15). Digits 0-4, 200 a class, one epoch, through tlx's fit.

const experiment = normalize({
  name: 'keras-mnist-adadelta',
  source: {
    pretrain: {
      architecture: 'keras-mnist-cnn',
      data: { dataset: 'mnist', classes: [0, 1, 2, 3, 4], perClass: 200 },
      train: { epochs: 1, batchSize: 32, optimizer: 'adadelta', learningRate: 1.0 },
    },
    cut: 'flatten',
  },
  target: { data: { dataset: 'mnist', classes: [5, 6] } },
});
const spec = experiment.source.pretrain!;
const CHANCE = 1 / 5;

/** Test accuracy after one epoch, trained by tlx's fit with the optimizer `optimizer.js` makes. */
async function accuracyAfterOneEpoch(): Promise<number> {
  const { fit } = await import('../../src/train/fit.js');
  const data = await loadData(spec.data, experiment.seed, { baseDir: '.', env: process.env });
  return withSeededMathRandom(experiment.seed, async () => {
    const model = ARCHITECTURES['keras-mnist-cnn']({ inputShape: data.train.shape, classes: 5 });
    try {
      const result = await fit(model, exampleSets(data, pixelScale('0..1', 1)), { train: spec.train, metrics: ['accuracy'] });
      return result.test.accuracy;
    } finally {
      model.dispose();
    }
  });
}

describe('the Keras MNIST CNN with Adadelta at learning rate 1.0, one epoch on digits 0-4', () => {
  beforeAll(async () => {
    await wasmAndCpu();
    await tf.setBackend('wasm');
  });

  it("learns with tlx's Adadelta and stays near chance with tfjs-core's", async () => {
    const tlx = await accuracyAfterOneEpoch();
    vi.resetModules();
    vi.doMock('../../src/train/optimizer.js', async (original) => ({ ...await original<object>(), makeOptimizer: () => tf.train.adadelta(1.0, 0.9, 1e-6) }));
    let tfjs: number;
    try {
      tfjs = await accuracyAfterOneEpoch();
    } finally {
      vi.doUnmock('../../src/train/optimizer.js');
      vi.resetModules();
    }
    console.log(`test accuracy after one epoch: tlx's Adadelta ${tlx.toFixed(3)}, tfjs-core's ${tfjs.toFixed(3)} (chance ${CHANCE})`);
    expect(tlx).toBeGreaterThan(3 * CHANCE);
    expect(tfjs).toBeLessThan(1.5 * CHANCE);
  });
});
