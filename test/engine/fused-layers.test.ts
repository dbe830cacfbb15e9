import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAINING, batchNormTraining } from '../../src/engine/kernels/batch-norm-training.js';
import { on, wasmAndCpu } from '../support/backends.js';
import { randomArray, randomInt, relativeError, rng, testSeed } from '../support/random.js';

// tfjs-layers layers routed to tlx's fused kernels on wasm, against the same layer
// running its own code on the cpu backend, on fresh random shapes and values.
const CASES = 10;
const TOLERANCE = 1e-4;

beforeAll(wasmAndCpu);

interface BnCase {
  shape: number[];
  x: Float32Array;
  weights: Float32Array[];
  r: Float32Array;
  epsilon: number;
  momentum: number;
  scale: boolean;
  center: boolean;
}

function bnCase(next: () => number): BnCase {
  const rank = randomInt(next, 2, 4);
  const channels = randomInt(next, 1, 37);
  // At least 8 rows per channel: with few, x's gradient is a near-total cancellation
  // (with one row exactly 0), rounding noise on both sides.
  const shape = rank === 2
    ? [randomInt(next, 8, 40), channels]
    : [randomInt(next, 2, 4), ...Array.from({ length: rank - 2 }, () => randomInt(next, 4, 9)), channels];
  const size = tf.util.sizeFromShape(shape);
  // tfjs-layers' own training code reads gamma and beta unconditionally (it throws
  // for scale: false or center: false), so the reference needs both.
  const scale = true;
  const center = true;
  const positive = () => Float32Array.from(randomArray(next, channels), (v) => 0.5 + Math.abs(v));
  const weights = [
    ...(scale ? [positive()] : []), ...(center ? [randomArray(next, channels)] : []),
    randomArray(next, channels), positive(),
  ];
  // An offset and spread per case, so the statistics are not those of [-1, 1).
  const shift = 3 * (next() * 2 - 1);
  const spread = 0.1 + 4 * next();
  return {
    shape, x: Float32Array.from(randomArray(next, size), (v) => shift + spread * v), weights,
    r: randomArray(next, size), epsilon: 10 ** -randomInt(next, 2, 5), momentum: 0.5 + 0.49 * next(), scale, center,
  };
}

/** y, the gradients of sum(y * r) for x and the trainable weights, and the moving statistics after one call. */
function trainBn(c: BnCase): { y: Float32Array; grads: Float32Array[]; moving: Float32Array[] } {
  const layer = tfl.layers.batchNormalization({ axis: -1, epsilon: c.epsilon, momentum: c.momentum, scale: c.scale, center: c.center });
  layer.build(c.shape);
  layer.setWeights(c.weights.map((w) => tf.tensor(w)));
  const x = tf.variable(tf.tensor(c.x, c.shape));
  const r = tf.tensor(c.r, c.shape);
  let y: Float32Array = new Float32Array();
  const trainable = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const { grads } = tf.variableGrads(() => {
    const out = layer.apply(x, { training: true }) as tf.Tensor;
    y = out.dataSync() as Float32Array;
    return tf.sum(tf.mul(out, r)) as tf.Scalar;
  }, [x, ...trainable]);
  const result = {
    y,
    grads: [x, ...trainable].map((v) => grads[v.name]!.dataSync() as Float32Array),
    moving: layer.getWeights().slice(-2).map((w) => w.dataSync() as Float32Array),
  };
  tf.dispose([x, r, ...Object.values(grads)]);
  for (const w of layer.weights) w.dispose();
  return result;
}

describe('BatchNormalization in training, routed to one kernel on wasm', () => {
  it('matches tfjs-layers on cpu: outputs, gradients of x, gamma, beta, moving statistics', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const c = bnCase(next);
      const expected = await on('cpu', () => trainBn(c));
      const actual = await on('wasm', () => trainBn(c));
      const label = `seed ${seed}, case ${n}: ${JSON.stringify({ ...c, x: undefined, r: undefined, weights: undefined })}`;
      expect(relativeError(actual.y, expected.y), label).toBeLessThan(TOLERANCE);
      expect(actual.grads.length, label).toBe(expected.grads.length);
      actual.grads.forEach((g, i) => expect(relativeError(g, expected.grads[i]!), `${label}, gradient ${i}`).toBeLessThan(TOLERANCE));
      actual.moving.forEach((m, i) => expect(relativeError(m, expected.moving[i]!), `${label}, moving ${i}`).toBeLessThan(TOLERANCE));
    }
  });

  it('computes the forward pass and moving statistics bit for bit as the unfused wasm path', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < 4; n++) {
      const c = bnCase(next);
      const fused = await on('wasm', () => trainBn(c));
      tf.unregisterKernel(BATCH_NORM_TRAINING, 'wasm');
      try {
        const unfused = await on('wasm', () => trainBn(c));
        expect(Array.from(fused.y), `seed ${seed}, case ${n}`).toEqual(Array.from(unfused.y));
        fused.moving.forEach((m, i) => expect(Array.from(m), `seed ${seed}, case ${n}`).toEqual(Array.from(unfused.moving[i]!)));
      } finally {
        tf.registerKernel({ kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: batchNormTraining });
      }
    }
  });

  it('differentiates its mean and variance outputs too (against moments on cpu)', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const c = bnCase(next);
      const channels = c.shape[c.shape.length - 1]!;
      const scale = Float32Array.from(randomArray(next, channels), (v) => 0.5 + v);
      const offset = randomArray(next, channels);
      const r2 = randomArray(next, channels);
      const r3 = randomArray(next, channels);
      const loss = (fused: boolean) => (x: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        let y: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor;
        if (fused) {
          [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x, scale: s, offset: o },
            { varianceEpsilon: c.epsilon }) as tf.Tensor[] as [tf.Tensor, tf.Tensor, tf.Tensor];
        } else {
          ({ mean, variance } = tf.moments(x, [...Array(c.shape.length - 1).keys()]));
          y = tf.batchNorm(x, mean, variance, o, s, c.epsilon);
        }
        return tf.addN([tf.sum(tf.mul(y, tf.tensor(c.r, c.shape))), tf.sum(tf.mul(mean, tf.tensor(r2))), tf.sum(tf.mul(variance, tf.tensor(r3)))]);
      };
      const grads = (fused: boolean) => tf.tidy(() => tf.grads(loss(fused))([tf.tensor(c.x, c.shape), tf.tensor(scale), tf.tensor(offset)])
        .map((g) => g.dataSync() as Float32Array));
      const expected = await on('cpu', () => grads(false));
      const actual = await on('wasm', () => grads(true));
      actual.forEach((g, i) => expect(relativeError(g, expected[i]!), `seed ${seed}, case ${n}, input ${i}`).toBeLessThan(TOLERANCE));
    }
  });
});
