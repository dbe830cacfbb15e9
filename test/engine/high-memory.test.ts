import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { on, wasmAndCpu } from '../support/backends.js';
import { randomArray, relativeError, rng, testSeed } from '../support/random.js';

// Past 2 GiB of wasm memory, offsets no longer fit a signed 32-bit number: a real
// 224 px backbone at batch 16 gets there. The training kernels must give cpu's
// gradients on tensors placed there, as they do below it.

const TWO_GIB = 2 ** 31;
const filler: tf.Tensor[] = [];

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('wasm');
  // Blocks of falling sizes, each size until one lands past 2 GiB: the big ones move
  // the heap's end there, the smaller ones fill the holes below, so that whatever
  // the step allocates next (down to a few bytes) lies past 2 GiB.
  for (const size of [2 ** 26, 2 ** 20, 2 ** 14, 2 ** 8, 2 ** 4, 1]) {
    do filler.push(tf.zeros([size])); while (offsetOf(filler.at(-1)!) < TWO_GIB);
  }
}, 60_000);

afterAll(() => tf.dispose(filler));

function offsetOf(t: tf.Tensor): number {
  return (tf.backend() as unknown as { getMemoryOffset(id: tf.DataId): number }).getMemoryOffset(t.dataId);
}

describe('tlx kernels on tensors past 2 GiB of wasm memory', () => {
  it('a conv, depthwise, batch-norm, ReLU6, max-pool and dense step: the gradients cpu computes', async () => {
    const seed = testSeed();
    const next = rng(seed);
    const x = randomArray(next, 2 * 12 * 12 * 3);
    const w = randomArray(next, 3 * 3 * 3 * 8);
    const dw = randomArray(next, 3 * 3 * 8 * 1);
    const dense = randomArray(next, 8 * 3 * 3 * 5);
    const [mean, variance, scale, offset] = [randomArray(next, 8), randomArray(next, 8).map((v) => v + 1.5), randomArray(next, 8), randomArray(next, 8)];
    const grads = () => tf.tidy(() => {
      const f = (xt: tf.Tensor, wt: tf.Tensor, dwt: tf.Tensor, dt: tf.Tensor, st: tf.Tensor) => {
        const c = tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same');
        const n = tf.batchNorm(c, tf.tensor1d(mean), tf.tensor1d(variance), tf.tensor1d(offset), st, 1e-3);
        const d = tf.depthwiseConv2d(tf.clipByValue(n, 0, 6) as tf.Tensor4D, dwt as tf.Tensor4D, 1, 'same');
        const p = tf.maxPool(d, 2, 2, 'valid');
        const flat = tf.reshape(tf.slice(tf.pad(p, [[0, 0], [0, 0], [0, 0], [0, 0]]), [0, 0, 0, 0], [2, 3, 3, 8]), [2, 72]);
        return tf.mean(tf.sum(tf.square(tf.matMul(flat, dt)), 1));
      };
      const gs = tf.grads(f)([tf.tensor4d(x, [2, 12, 12, 3]), tf.tensor4d(w, [3, 3, 3, 8]), tf.tensor4d(dw, [3, 3, 8, 1]), tf.tensor2d(dense, [72, 5]), tf.tensor1d(scale)]);
      return tf.concat(gs.map((g) => tf.reshape(g, [-1])));
    }).dataSync() as Float32Array;
    const probe = await on('wasm', () => tf.zeros([4]));
    expect(offsetOf(probe), 'tensors are allocated past 2 GiB').toBeGreaterThan(TWO_GIB);
    probe.dispose();
    const err = relativeError(await on('wasm', grads), await on('cpu', grads));
    expect(err, `seed ${seed}`).toBeLessThan(1e-4);
  });
});
