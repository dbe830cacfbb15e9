import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/init-backend.js';
import { loadModel } from '../../src/models/model-files.js';
import { activationBytes, microBatchSize } from '../../src/engine/memory-budget.js';
import { accumulatedStep } from '../../src/train/micro-batch.js';
import { pretrainedModel } from '../support/optional.js';
import { randomArray, relativeError, rng, testSeed } from '../support/random.js';

// A batch trained in micro-batches takes the step the whole batch takes: the same
// loss and, after several steps, the same weights, against tfjs-layers' own
// trainOnBatch on the cpu backend (the reference, untouched by tlx).

function twin(seed: number): [tfl.LayersModel, tfl.LayersModel] {
  const make = () => tfl.sequential({ layers: [
    tfl.layers.dense({ inputShape: [6], units: 7, activation: 'tanh', kernelRegularizer: tfl.regularizers.l2({ l2: 0.01 }), kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
    tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
  ] });
  const [a, b] = [make(), make()];
  b.setWeights(a.getWeights());
  for (const m of [a, b]) m.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy' });
  return [a, b];
}

describe('micro-batches', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([1, 4, 5, 12])('of %i examples: the loss and the weights of trainOnBatch on 12, over 5 Adam steps', async (micro) => {
    const seed = testSeed();
    const next = rng(seed);
    const [whole, split] = twin(seed % 1000);
    for (let step = 0; step < 5; step++) {
      const x = tf.tensor2d(randomArray(next, 12 * 6), [12, 6]);
      const y = tf.tensor1d(Array.from({ length: 12 }, () => Math.floor(next() * 3)));
      const expected = (await whole.trainOnBatch(x, y)) as number;
      const actual = await accumulatedStep(split, x, y, micro);
      expect(actual, `seed ${seed}, step ${step}`).toBeCloseTo(expected, 5);
      tf.dispose([x, y]);
    }
    const flat = (m: tfl.LayersModel) => Float32Array.from(m.getWeights().flatMap((w) => Array.from(w.dataSync())));
    expect(relativeError(flat(split), flat(whole)), `seed ${seed}`).toBeLessThan(1e-5);
  });

  it('only wasm, whose memory ends at 4 GiB, splits; a small model never does', () => {
    const big = tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [224, 224, 3], filters: 512, kernelSize: 3, padding: 'same' })] });
    expect(activationBytes(big)).toBe(224 * 224 * 512 * 4);
    expect(microBatchSize(big, 32, 'wasm')).toBe(Math.floor((2.5 * 2 ** 30) / (3 * 224 * 224 * 512 * 4)));
    expect(microBatchSize(big, 32, 'wasm')).toBeLessThan(32);
    expect(microBatchSize(big, 32, 'cpu')).toBe(32);
    const small = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [10], units: 10 })] });
    expect(microBatchSize(small, 256, 'wasm')).toBe(256);
  });
});

const mobilenet = pretrainedModel('mobilenet_v2');

describe.runIf(mobilenet.available)(`the real MobileNetV2 at 224x224, batch 32, on wasm ${mobilenet.label}`, () => {
  it('trains in micro-batches within the wasm memory (one batch of 32 exceeds it)', async () => {
    await initBackend('wasm');
    const source = await loadModel(mobilenet.modelJson);
    const model = tfl.model({ inputs: source.inputs, outputs: source.outputs });
    model.compile({ optimizer: tf.train.sgd(1e-3), loss: 'sparseCategoricalCrossentropy' });
    const micro = microBatchSize(model, 32, 'wasm');
    expect(micro).toBeLessThan(32);
    expect(micro).toBeGreaterThanOrEqual(8);
    const seed = testSeed();
    const x = tf.randomUniform([32, 224, 224, 3], -1, 1, 'float32', seed);
    const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 5));
    // The published model keeps most of its layers frozen (trainable: false); a trainable one changes.
    const weight = model.trainableWeights[0]!;
    const before = weight.read().dataSync().slice();
    const loss = await accumulatedStep(model, x, y, micro);
    expect(Number.isFinite(loss) && loss > 0, `loss ${loss}`).toBe(true);
    const after = weight.read().dataSync();
    expect(relativeError(Float32Array.from(after), Float32Array.from(before))).toBeGreaterThan(0);
    tf.dispose([x, y]);
    source.dispose();
  }, 120_000);
});
