import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { on, wasmAndCpu } from '../support/backends.js';
import { convCase, dilatedDepthwiseInputs, outShape, pickTaps, randomShape } from '../support/kernel-cases.js';
import { pick, randomArray, randomInt, relativeError, rng, testSeed } from '../support/random.js';

// Each tlx kernel on wasm against the cpu backend's kernel, on fresh random shapes
// and values every run. The seed is in the failure message for replay.
const CASES = 12;
const TOLERANCE = 1e-4;

beforeAll(wasmAndCpu);

function run(kernel: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Float32Array {
  return tf.tidy(() => {
    const tensors = Object.fromEntries(
      Object.entries(inputs).map(([name, [values, shape]]) => [name, tf.tensor(values, shape)]));
    const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

async function compare(
  kernel: string,
  inputs: Record<string, [Float32Array, number[]]>,
  attrs: object,
  reference: () => Float32Array = () => run(kernel, inputs, attrs),
): Promise<number> {
  const expected = await on('cpu', reference);
  const actual = await on('wasm', () => run(kernel, inputs, attrs));
  expect(actual.length).toBe(expected.length);
  return relativeError(actual, expected);
}

describe.each([
  { kernel: 'Conv2DBackpropFilter', depthwise: false },
  { kernel: 'Conv2DBackpropInput', depthwise: false },
  { kernel: 'DepthwiseConv2dNativeBackpropFilter', depthwise: true },
  { kernel: 'DepthwiseConv2dNativeBackpropInput', depthwise: true },
])('$kernel on wasm matches cpu', ({ kernel, depthwise }) => {
  const filterKernel = kernel.endsWith('Filter');

  it.each(['NHWC', ...(depthwise ? [] : ['NCHW'])])(`random shapes, strides, padding (%s)`, async (format) => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const c = convCase(next, depthwise, false, n < 2);
      const filterShape = c.filterShape;
      const dyShape = outShape(c, depthwise);
      const nchw = (s: number[]) => format === 'NCHW' ? [s[0]!, s[3]!, s[1]!, s[2]!] : s;
      const x = randomArray(next, tf.util.sizeFromShape(c.xShape));
      const dy = randomArray(next, tf.util.sizeFromShape(dyShape));
      const filter = randomArray(next, tf.util.sizeFromShape(filterShape));
      const common = { strides: c.strides, pad: c.pad, dilations: c.dilations, dataFormat: format, dimRoundingMode: 'floor' };
      const err = filterKernel
        ? await compare(kernel, { x: [x, nchw(c.xShape)], dy: [dy, nchw(dyShape)] }, { ...common, filterShape })
        : await compare(kernel, { dy: [dy, nchw(dyShape)], filter: [filter, filterShape] },
          { ...common, inputShape: nchw(c.xShape) });
      expect(err, `seed ${seed}, case ${n}: ${JSON.stringify(c)}`).toBeLessThan(TOLERANCE);
    }
  });

  // cpu's depthwise gradients ignore dilations, so the reference is the undilated
  // kernel on the equivalent zero-inserted filter.
  if (depthwise) it('dilations', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const c = convCase(next, true, true);
      const { dyShape, x, dy, filter, wide, wideShape, attrs, undilated } = dilatedDepthwiseInputs(next, c);
      const err = filterKernel
        ? await compare(kernel, { x: [x, c.xShape], dy: [dy, dyShape] }, { ...attrs, filterShape: c.filterShape },
          () => pickTaps(run(kernel, { x: [x, c.xShape], dy: [dy, dyShape] },
            { ...undilated, filterShape: wideShape }), wideShape, c.dilations))
        : await compare(kernel, { dy: [dy, dyShape], filter: [filter, c.filterShape] },
          { ...attrs, inputShape: c.xShape },
          () => run(kernel, { dy: [dy, dyShape], filter: [wide, wideShape] }, { ...undilated, inputShape: c.xShape }));
      expect(err, `seed ${seed}, case ${n}: ${JSON.stringify(c)}`).toBeLessThan(TOLERANCE);
    }
  });
});

describe('BatchMatMul with transposed operands on wasm matches cpu', () => {
  it.each([
    [false, false], [true, false], [false, true], [true, true],
  ])('transposeA=%s transposeB=%s', async (transposeA, transposeB) => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      // Some tall products (k up to 3000), the shape of a weight gradient.
      const [batch, m, k, p] = [randomInt(next, 1, 3), randomInt(next, 1, 40), pick(next, [randomInt(next, 1, 40), randomInt(next, 100, 3000)]), randomInt(next, 1, 40)];
      const aShape = transposeA ? [batch, k, m] : [batch, m, k];
      const bShape = transposeB ? [batch, p, k] : [batch, k, p];
      const a = randomArray(next, tf.util.sizeFromShape(aShape));
      const b = randomArray(next, tf.util.sizeFromShape(bShape));
      for (const kernel of ['BatchMatMul', '_FusedMatMul']) {
        if (kernel === '_FusedMatMul' && batch > 1) continue;
        const err = await compare(kernel, { a: [a, aShape], b: [b, bShape] }, { transposeA, transposeB, activation: 'linear' });
        expect(err, `seed ${seed}, ${kernel} case ${n}: a ${aShape} b ${bShape}`).toBeLessThan(TOLERANCE);
      }
    }
  });
});

describe('UnsortedSegmentSum on wasm matches cpu', () => {
  // Widths on both sides of the SIMD lane count, few segments (so ids repeat), ids
  // below 0 and past the end (dropped), float and int32 rows.
  it.each(['float32', 'int32'] as const)('random ids, repeated and out of range (%s)', async (dtype) => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const rows = randomInt(next, 1, 40);
      const width = randomInt(next, 1, 13);
      const numSegments = randomInt(next, 1, 10);
      const x = randomArray(next, rows * width).map((v) => (dtype === 'int32' ? Math.round(v * 100) : v));
      const ids = Int32Array.from({ length: rows }, () => randomInt(next, -2, numSegments + 1));
      const runSum = () => tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [rows, width], dtype),
        tf.tensor1d(ids, 'int32'), numSegments).dataSync());
      const expected = await on('cpu', runSum);
      const actual = await on('wasm', runSum);
      expect(actual.length).toBe(numSegments * width);
      // Integer sums are exact.
      if (dtype === 'int32') expect(Array.from(actual), `seed ${seed}, case ${n}`).toEqual(Array.from(expected));
      else expect(relativeError(actual, expected), `seed ${seed}, case ${n}`).toBeLessThan(TOLERANCE);
    }
  });

  it('as the gradient of tf.gather (an embedding lookup)', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const [vocabulary, dim] = [randomInt(next, 2, 30), randomInt(next, 1, 20)];
      const shape = [randomInt(next, 1, 5), randomInt(next, 1, 9)];
      const ids = Int32Array.from({ length: shape[0]! * shape[1]! }, () => randomInt(next, 0, vocabulary - 1));
      const table = randomArray(next, vocabulary * dim);
      const r = randomArray(next, ids.length * dim);
      const grad = () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor(ids, shape, 'int32')),
        tf.tensor(r, [...shape, dim]))))(tf.tensor2d(table, [vocabulary, dim])).dataSync() as Float32Array);
      const err = relativeError(await on('wasm', grad), await on('cpu', grad));
      expect(err, `seed ${seed}, case ${n}: ${vocabulary}x${dim}, ids ${shape}`).toBeLessThan(TOLERANCE);
    }
  });
});

describe('row gathers, leading reversals and the max gradient on wasm match cpu', () => {
  it('GatherV2: rows of float and int tables, ids of any rank; other axes', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = randomShape(next, randomInt(next, 1, 4), 7);
      const axis = pick(next, [0, 0, randomInt(next, 0, shape.length - 1)]);
      const dtype = pick(next, ['float32', 'int32'] as const);
      const idsShape = randomShape(next, randomInt(next, 1, 3), 5);
      const ids = Int32Array.from({ length: tf.util.sizeFromShape(idsShape) }, () => randomInt(next, 0, shape[axis]! - 1));
      const x = randomArray(next, tf.util.sizeFromShape(shape)).map((v) => (dtype === 'int32' ? Math.round(v * 50) : v));
      const gather = () => tf.tidy(() => tf.gather(tf.tensor(x, shape, dtype), tf.tensor(ids, idsShape, 'int32'), axis).dataSync());
      const expected = await on('cpu', gather);
      expect(Array.from(await on('wasm', gather)), `seed ${seed}, case ${n}: ${shape} axis ${axis} ids ${idsShape}`).toEqual(Array.from(expected));
    }
  });

  it('GatherV2: an id outside the table throws', async () => {
    await on('wasm', () => expect(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([0, 3], 'int32'))))
      .toThrow(/index value 3 is not in \[0, 2\]/));
  });

  it('Reverse: random ranks and axes', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = randomShape(next, randomInt(next, 1, 4));
      const dims = shape.map((_, i) => i).filter(() => next() < 0.5);
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const err = await compare('Reverse', { x: [x, shape] }, { dims });
      expect(err, `seed ${seed}, case ${n}: ${shape} dims ${dims}`).toBe(0);
    }
  });

  it('the gradient of max over random axes (ties included)', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = randomShape(next, randomInt(next, 1, 4));
      const axis = shape.map((_, i) => i).filter(() => next() < 0.5);
      const keepDims = next() < 0.5;
      // Rounded values: some windows hold their max twice.
      const x = randomArray(next, tf.util.sizeFromShape(shape)).map((v) => Math.round(v * 3));
      const grad = () => tf.tidy(() => tf.grad((t: tf.Tensor) => {
        const r = tf.max(t, axis.length > 0 ? axis : undefined, keepDims);
        return tf.sum(tf.mul(r, tf.randomUniform(r.shape, -1, 1, 'float32', 7)));
      })(tf.tensor(x, shape))).dataSync() as Float32Array;
      expect(relativeError(await on('wasm', grad), await on('cpu', grad)), `seed ${seed}, ${shape} axis ${axis}`).toBeLessThan(TOLERANCE);
    }
  });
});

describe('convolutions with \'same\' padding on wasm match cpu', () => {
  // wasm's own kernels got these wrong where 'same' pads nothing (a filter narrower
  // than the stride): tlx hands them the padding as explicit amounts.
  it.each(['conv2d', 'depthwise', 'fused conv2d', 'fused depthwise'])('%s: random filters narrower and wider than the stride', async (op) => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const [kh, kw, sh, sw] = [randomInt(next, 1, 3), randomInt(next, 1, 3), randomInt(next, 1, 4), randomInt(next, 1, 4)];
      const c = randomInt(next, 1, 5);
      const out = op.includes('depthwise') ? 1 : randomInt(next, 1, 9);
      const xShape: [number, number, number, number] = [randomInt(next, 1, 2), randomInt(next, 1, 13), randomInt(next, 1, 13), c];
      const fShape: [number, number, number, number] = [kh, kw, c, out];
      const x = randomArray(next, tf.util.sizeFromShape(xShape));
      const f = randomArray(next, tf.util.sizeFromShape(fShape));
      const bias = randomArray(next, op.includes('depthwise') ? c * out : out);
      const conv = () => tf.tidy(() => {
        const [xt, ft, b] = [tf.tensor4d(x, xShape), tf.tensor4d(f, fShape), tf.tensor1d(bias)];
        const strides: [number, number] = [sh, sw];
        switch (op) {
          case 'conv2d': return tf.conv2d(xt, ft, strides, 'same').dataSync();
          case 'depthwise': return tf.depthwiseConv2d(xt, ft, strides, 'same').dataSync();
          case 'fused conv2d': return tf.fused.conv2d({ x: xt, filter: ft, strides, pad: 'same', bias: b, activation: 'relu' }).dataSync();
          default: return tf.fused.depthwiseConv2d({ x: xt, filter: ft, strides, pad: 'same', bias: b, activation: 'relu' }).dataSync();
        }
      });
      const err = relativeError(await on('wasm', conv), await on('cpu', conv));
      expect(err, `seed ${seed}, case ${n}: x ${xShape} filter ${fShape} strides ${sh},${sw}`).toBeLessThan(TOLERANCE);
    }
  });
});

describe('data-movement and reduction kernels on wasm match cpu', () => {
  it('MaxPoolGrad: random windows, strides, padding', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const filterSize: [number, number] = [randomInt(next, 1, 3), randomInt(next, 1, 3)];
      const strides: [number, number] = [randomInt(next, 1, 3), randomInt(next, 1, 3)];
      const pad = pick(next, ['same', 'valid'] as const);
      const xShape: [number, number, number, number] = [randomInt(next, 1, 3), filterSize[0] + randomInt(next, 0, 8),
        filterSize[1] + randomInt(next, 0, 8), randomInt(next, 1, 5)];
      const info = tf.backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad);
      const x = randomArray(next, tf.util.sizeFromShape(xShape));
      const dy = randomArray(next, tf.util.sizeFromShape(info.outShape));
      const grad = () => tf.tidy(() => {
        const xt = tf.tensor4d(x, xShape);
        const y = tf.maxPool(xt, filterSize, strides, pad);
        return tf.engine().runKernel('MaxPoolGrad', { dy: tf.tensor(dy, info.outShape), input: xt, output: y },
          { filterSize, strides, pad } as unknown as tf.NamedAttrMap) as tf.Tensor;
      }).dataSync() as Float32Array;
      const err = relativeError(await on('wasm', grad), await on('cpu', grad));
      expect(err, `seed ${seed}, case ${n}: ${JSON.stringify({ xShape, filterSize, strides, pad })}`).toBeLessThan(TOLERANCE);
    }
  });

  it('Tile: random ranks and repeats', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = randomShape(next, randomInt(next, 1, 4));
      const reps = shape.map(() => randomInt(next, 1, 4));
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const err = await compare('Tile', { x: [x, shape] }, { reps });
      expect(err, `seed ${seed}, case ${n}: ${shape} x ${reps}`).toBe(0);
    }
  });

  it('Slice: random begins and sizes', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = randomShape(next, randomInt(next, 1, 5));
      const begin = shape.map((d) => randomInt(next, 0, d - 1));
      const size = shape.map((d, i) => pick(next, [-1, randomInt(next, 1, d - begin[i]!)]));
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const err = await compare('Slice', { x: [x, shape] }, { begin, size });
      expect(err, `seed ${seed}, case ${n}: ${shape} begin ${begin} size ${size}`).toBe(0);
    }
  });

  it.each(['Sum', 'Mean'])('%s over leading and other axes', async (kernel) => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const rank = randomInt(next, 1, 4);
      const shape = randomShape(next, rank, 9);
      const axis = pick(next, [
        Array.from({ length: randomInt(next, 1, rank) }, (_, i) => i), // leading: the fast path
        [randomInt(next, 0, rank - 1)],
      ]);
      const keepDims = next() < 0.5;
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const err = await compare(kernel, { x: [x, shape] }, { axis, keepDims });
      expect(err, `seed ${seed}, case ${n}: ${shape} axis ${axis}`).toBeLessThan(TOLERANCE);
    }
  });
});

describe('one-pass gradients on wasm match tfjs-core\'s on cpu', () => {
  it('batch norm with per-channel statistics: all five gradients', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = [randomInt(next, 1, 4), randomInt(next, 1, 6), randomInt(next, 1, 6), randomInt(next, 1, 9)];
      const c = shape[3]!;
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const r = randomArray(next, x.length);
      const [mean, scale, offset] = [randomArray(next, c), randomArray(next, c), randomArray(next, c)];
      const variance = randomArray(next, c).map((v) => v + 1.5);
      const grads = () => tf.tidy(() => {
        const f = (xt: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
          tf.sum(tf.mul(tf.batchNorm(xt, m, v, o, s, 1e-3), tf.tensor(r, shape)));
        const gs = tf.grads(f)([tf.tensor(x, shape), tf.tensor1d(mean), tf.tensor1d(variance), tf.tensor1d(scale), tf.tensor1d(offset)]);
        // (tfjs cannot take this gradient without a scale: it saves the absent input.)
        return tf.concat(gs.map((g) => tf.reshape(g, [-1])));
      }).dataSync() as Float32Array;
      const err = relativeError(await on('wasm', grads), await on('cpu', grads));
      expect(err, `seed ${seed}, case ${n}: ${shape}`).toBeLessThan(TOLERANCE);
    }
  });

  it('clipByValue (ReLU6)', async () => {
    const seed = testSeed();
    const next = rng(seed);
    const x = randomArray(next, 1001).map((v) => v * 8);
    const grad = () => tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.clipByValue(t, -0.5, 6), t)))(tf.tensor1d(x))).dataSync() as Float32Array;
    expect(relativeError(await on('wasm', grad), await on('cpu', grad)), `seed ${seed}`).toBeLessThan(TOLERANCE);
  });
});

describe('reduction gradients match tfjs-core on cpu', () => {
  // The reference must be tfjs' own: tfjs-core spreads dy by multiplying with ones,
  // tlx's override broadcasts it (Tile); the kernels run on each backend tell which.
  it.each(['sum', 'mean'] as const)('%s: tlx\'s gradient on wasm, tfjs-core\'s own on cpu', async (op) => {
    const kernels = async (backend: 'wasm' | 'cpu') => on(backend, async () => (await tf.profile(() =>
      tf.tidy(() => tf.grad((t: tf.Tensor) => tf[op](t, 0))(tf.ones([3, 4]))))).kernelNames);
    const wasm = await kernels('wasm');
    const cpu = await kernels('cpu');
    expect(wasm).toContain('Tile');
    expect(wasm).not.toContain('Multiply');
    expect(cpu).toContain('Multiply');
    expect(cpu).not.toContain('Tile');
  });

  it.each(['sum', 'mean'] as const)('%s over random axes', async (op) => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = randomShape(next, randomInt(next, 1, 4));
      const axis = shape.map((_, i) => i).filter(() => next() < 0.5);
      const keepDims = next() < 0.5;
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const grad = () => tf.tidy(() => tf.grad((t: tf.Tensor) => {
        const r = tf[op](tf.mul(t, t), axis, keepDims);
        return tf.sum(tf.mul(r, tf.randomUniform(r.shape, -1, 1, 'float32', 7)));
      })(tf.tensor(x, shape))).dataSync() as Float32Array;
      expect(relativeError(await on('wasm', grad), await on('cpu', grad)), `seed ${seed}, ${shape} axis ${axis}`).toBeLessThan(TOLERANCE);
    }
  });
});

describe('padding and batch norm on wasm match cpu', () => {
  it('PadV2: random ranks, paddings and constants', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      // Sizes up to 20 so both the block-copy path and the fallback are drawn.
      const shape = randomShape(next, randomInt(next, 1, 4), 20);
      const paddings = shape.map(() => (next() < 0.4 ? [0, 0] : [randomInt(next, 0, 2), randomInt(next, 0, 2)]));
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const err = await compare('PadV2', { x: [x, shape] }, { paddings, constantValue: next() < 0.5 ? 0 : 1.5 });
      expect(err, `seed ${seed}, case ${n}: ${shape} ${JSON.stringify(paddings)}`).toBe(0);
    }
  });

  it('FusedBatchNorm with per-channel statistics', async () => {
    const seed = testSeed();
    const next = rng(seed);
    for (let n = 0; n < CASES; n++) {
      const shape = randomShape(next, randomInt(next, 2, 4), 7);
      const c = shape[shape.length - 1]!;
      const x = randomArray(next, tf.util.sizeFromShape(shape));
      const stats = {
        mean: [randomArray(next, c), [c]] as [Float32Array, number[]],
        variance: [randomArray(next, c).map((v) => v + 1.5), [c]] as [Float32Array, number[]],
        scale: [randomArray(next, c), [c]] as [Float32Array, number[]],
        offset: [randomArray(next, c), [c]] as [Float32Array, number[]],
      };
      const err = await compare('FusedBatchNorm', { x: [x, shape], ...stats }, { varianceEpsilon: 1e-3 });
      expect(err, `seed ${seed}, case ${n}: ${shape}`).toBeLessThan(TOLERANCE);
    }
  });
});
