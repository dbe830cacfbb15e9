import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEXT_ARCHITECTURES, type TextArchitectureName } from '../../src/models/architectures/text-index.js';
import { on, wasmAndCpu } from '../support/backends.js';
import { randomArray, randomInt, relativeError, rng, testSeed } from '../support/random.js';

beforeAll(wasmAndCpu);

// A whole text model's weight gradients (embedding through tf.gather's gradient,
// conv1d as a height-1 conv2d, max over time, GRU + Bidirectional, masked pooling)
// on wasm with tlx's kernels against the cpu backend, on random ids, weights and
// loss weights. Each weight's gradient is compared on its own, relative to its norm.
const TOLERANCE = 1e-4;

function ids(next: () => number, batch: number, length: number, vocabulary: number): Int32Array {
  const out = new Int32Array(batch * length);
  for (let b = 0; b < batch; b++) {
    const n = randomInt(next, 1, length);
    for (let t = 0; t < n; t++) out[b * length + t] = randomInt(next, 1, vocabulary - 1);
  }
  return out;
}

function gradients(model: tfl.LayersModel, x: Int32Array, shape: [number, number], r: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const input = tf.tensor2d(x, shape, 'int32');
    const { grads } = tf.variableGrads(() => {
      const p = model.apply(input, { training: true }) as tf.Tensor2D;
      return tf.sum(tf.mul(tf.log(tf.add(p, 1e-6)), tf.tensor(r, p.shape)));
    }, model.trainableWeights.map((w) => w.read() as tf.Variable));
    return model.trainableWeights.map((w) => {
      const g = grads[w.read().name];
      return g == null ? new Float32Array(0) : g.dataSync() as Float32Array;
    });
  });
}

describe.each<[TextArchitectureName, object]>([
  ['text-cnn', { widths: [2, 3, 5], filters: 6 }],
  ['text-bigru', { units: 5 }],
  ['text-bag', {}],
])('%s: weight gradients on wasm match cpu', (name, extra) => {
  it('random ids (duplicates, padding), weights and loss', async () => {
    const seed = testSeed();
    const next = rng(seed);
    const options = { vocabulary: randomInt(next, 8, 30), maxLength: randomInt(next, 6, 12), dim: randomInt(next, 2, 9), classes: 3, dropout: 0, ...extra };
    const batch = randomInt(next, 2, 6);
    const x = ids(next, batch, options.maxLength, options.vocabulary);
    const r = randomArray(next, batch * options.classes);
    const build = () => {
      const model = TEXT_ARCHITECTURES[name](options);
      model.setWeights(model.getWeights().map((w) => tf.tensor(randomArray(rng(seed + w.size), w.size), w.shape)));
      return model;
    };
    const run = (backend: 'wasm' | 'cpu') => on(backend, () => {
      const model = build();
      const g = gradients(model, x, [batch, options.maxLength], r);
      const names = model.trainableWeights.map((w) => w.originalName);
      model.dispose();
      return { g, names };
    });
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    cpu.g.forEach((g, i) => {
      expect(g.length, `${cpu.names[i]} has no gradient`).toBeGreaterThan(0);
      expect(relativeError(wasm.g[i]!, g), `seed ${seed}, ${cpu.names[i]}: ${JSON.stringify(options)}`).toBeLessThan(TOLERANCE);
    });
  });
});

describe('conv1d (a height-1 conv2d in tfjs) and global max pooling on wasm match cpu', () => {
  // (Dilated: tfjs-core has no gradient for a dilated conv2d on any backend.)
  it('input and filter gradients: random widths, strides, padding', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < 12; n++) {
      const width = randomInt(next, 1, 5);
      const dilation = 1;
      const stride = randomInt(next, 1, 3);
      const pad = next() < 0.5 ? 'same' : 'valid';
      const [batch, steps, inC, outC] = [randomInt(next, 1, 4), (width - 1) * dilation + randomInt(next, 1, 20), randomInt(next, 1, 9), randomInt(next, 1, 17)];
      const x = randomArray(next, batch * steps * inC);
      const f = randomArray(next, width * inC * outC);
      const grads = () => tf.tidy(() => {
        const loss = (xt: tf.Tensor, ft: tf.Tensor) => {
          const y = tf.conv1d(xt as tf.Tensor3D, ft as tf.Tensor3D, stride, pad, 'NWC', dilation);
          // Max over time, as GlobalMaxPooling1D takes it, weighted so every map counts.
          return tf.sum(tf.mul(tf.max(tf.relu(y), 1), tf.randomUniform([batch, outC], -1, 1, 'float32', 3)));
        };
        const [gx, gf] = tf.grads(loss)([tf.tensor3d(x, [batch, steps, inC]), tf.tensor3d(f, [width, inC, outC])]);
        return [gx!.dataSync() as Float32Array, gf!.dataSync() as Float32Array];
      });
      const cpu = await on('cpu', grads);
      const wasm = await on('wasm', grads);
      const what = `seed ${seed}, case ${n}: ${JSON.stringify({ batch, steps, inC, outC, width, stride, dilation, pad })}`;
      expect(relativeError(wasm[0]!, cpu[0]!), `${what} (input)`).toBeLessThan(TOLERANCE);
      expect(relativeError(wasm[1]!, cpu[1]!), `${what} (filter)`).toBeLessThan(TOLERANCE);
    }
  });
});
