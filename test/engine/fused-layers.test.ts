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

/** Values in [-8, 8) with exact 0s and 6s among them, the edges of ReLU6's band. */
function edgyValues(next: () => number, size: number): Float32Array {
  return Float32Array.from(randomArray(next, size), (v) => {
    const u = next();
    return u < 0.05 ? 0 : u < 0.1 ? 6 : 8 * v;
  });
}

describe('ReLU and ReLU6 on wasm', () => {
  it.each([
    { name: 'ReLU layer with maxValue 6', apply: (x: tf.Tensor) => tfl.layers.reLU({ maxValue: 6 }).apply(x) as tf.Tensor },
    { name: 'relu', apply: (x: tf.Tensor) => tf.relu(x) },
    { name: 'relu6', apply: (x: tf.Tensor) => tf.relu6(x) },
  ])('$name: the same values and gradients as on cpu, bit for bit up to the sign of zero', async ({ apply }) => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = [randomInt(next, 1, 3), randomInt(next, 1, 9), randomInt(next, 1, 19)];
      const x = edgyValues(next, tf.util.sizeFromShape(shape));
      const dy = randomArray(next, x.length);
      const run = () => tf.tidy(() => {
        const [y, g] = [apply(tf.tensor(x, shape)), tf.grad((t: tf.Tensor) => tf.sum(tf.mul(apply(t), tf.tensor(dy, shape))))(tf.tensor(x, shape))];
        // + 0 turns -0 into 0: tfjs-core's gradient multiplies dy by 0 where tlx's masks it.
        return [Array.from(y.dataSync(), (v) => v + 0), Array.from(g.dataSync(), (v) => v + 0)];
      });
      const expected = await on('cpu', run);
      const actual = await on('wasm', run);
      expect(actual, `seed ${seed}, case ${n}`).toEqual(expected);
    }
  });
});

describe('routing', () => {
  it('takes the fused kernels on wasm and leaves cpu to tfjs-layers', async () => {
    const kernelsOf = async (backend: 'wasm' | 'cpu') => {
      await tf.setBackend(backend);
      const bn = tfl.layers.batchNormalization({ axis: -1 });
      const relu6 = tfl.layers.reLU({ maxValue: 6 });
      const x = tf.randomNormal([4, 5, 5, 8]);
      const profile = await tf.profile(() => {
        const y = tf.grad((t: tf.Tensor) => tf.sum(relu6.apply(bn.apply(t, { training: true }) as tf.Tensor) as tf.Tensor))(x);
        y.dispose();
      });
      x.dispose();
      return profile.kernelNames;
    };
    const wasm = await kernelsOf('wasm');
    expect(wasm).toEqual(expect.arrayContaining(['TlxBatchNormTraining', 'TlxBatchNormTrainingGrad', 'Relu6', 'TlxBandGrad']));
    expect(wasm).not.toContain('ClipByValue');
    const cpu = await kernelsOf('cpu');
    expect(cpu).toEqual(expect.arrayContaining(['FusedBatchNorm', 'ClipByValue', 'Relu']));
    expect(cpu.some((k) => k.startsWith('Tlx'))).toBe(false);
  });
});

describe('Conv2D while gradients are recorded', () => {
  it('gives the gradients tfjs-layers gives on cpu, with and without bias', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const useBias = next() < 0.5;
      const kernelSize = randomInt(next, 1, 3);
      const stride = randomInt(next, 1, 2);
      const padding = next() < 0.5 ? 'same' : 'valid';
      const shape = [randomInt(next, 1, 3), randomInt(next, 4, 12), randomInt(next, 4, 12), randomInt(next, 1, 9)];
      const filters = randomInt(next, 1, 13);
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const kernel = randomArray(next, kernelSize * kernelSize * shape[3]! * filters);
      const bias = randomArray(next, filters);
      const run = () => tf.tidy(() => {
        const layer = tfl.layers.conv2d({ filters, kernelSize, strides: stride, padding, useBias });
        layer.build(shape);
        layer.setWeights([tf.tensor(kernel, [kernelSize, kernelSize, shape[3]!, filters]), ...(useBias ? [tf.tensor(bias)] : [])]);
        const input = tf.variable(tf.tensor(x, shape));
        const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
        const { value, grads } = tf.variableGrads(() => {
          const y = layer.apply(input) as tf.Tensor;
          return tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape)))) as tf.Scalar;
        }, [input, ...weights]);
        const out = [value.dataSync()[0]!, ...[input, ...weights].map((v) => grads[v.name]!.dataSync() as Float32Array)];
        for (const w of layer.weights) w.dispose();
        input.dispose();
        return out as [number, ...Float32Array[]];
      });
      const [expectedLoss, ...expected] = await on('cpu', run);
      const [actualLoss, ...actual] = await on('wasm', run);
      const label = `seed ${seed}, case ${n}: ${JSON.stringify({ useBias, kernelSize, stride, padding, shape, filters })}`;
      expect(Math.abs(actualLoss - expectedLoss) / Math.max(1, Math.abs(expectedLoss)), label).toBeLessThan(TOLERANCE);
      actual.forEach((g, i) => expect(relativeError(g, expected[i]!), `${label}, gradient ${i}`).toBeLessThan(TOLERANCE));
    }
  });

  it('computes no input gradient for a first layer, and the same outputs as inference without bias', async () => {
    await tf.setBackend('wasm');
    const layer = tfl.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false });
    const x = tf.randomNormal([2, 17, 17, 3]);
    layer.build(x.shape);
    const kernel = (layer.trainableWeights[0] as unknown as { val: tf.Variable }).val;
    let trained: Float32Array = new Float32Array();
    const profile = await tf.profile(() => {
      const { grads } = tf.variableGrads(() => {
        const y = layer.apply(x) as tf.Tensor;
        trained = y.dataSync() as Float32Array;
        return tf.sum(tf.square(y)) as tf.Scalar;
      }, [kernel]);
      tf.dispose(Object.values(grads));
    });
    expect(profile.kernelNames).toContain('Conv2DBackpropFilter');
    expect(profile.kernelNames).not.toContain('Conv2DBackpropInput');
    const inferred = tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync());
    expect(Array.from(trained)).toEqual(Array.from(inferred));
    x.dispose();
    kernel.dispose();
  });
});
