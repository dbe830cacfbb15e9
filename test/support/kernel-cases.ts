import * as tf from '@tensorflow/tfjs-core';
import { pick, randomArray, randomInt } from './random.js';

// Random cases shared by the kernel tests of each backend against cpu (wasm: test/engine/kernels.test.ts, webgpu: webgpu-parity.test.ts).

export type Pad = 'same' | 'valid' | number;

export interface ConvCase {
  xShape: [number, number, number, number];
  filterShape: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

/** A random convolution: filter, strides or dilations, padding; channel counts on both sides of the SIMD tiles. */
export function convCase(next: () => number, depthwise: boolean, dilated: boolean, pointwise = false): ConvCase {
  if (pointwise) {
    // 1x1, stride 1, unpadded: the matrix-product path of the Conv2D gradients.
    const c = convCase(next, depthwise, false);
    return { ...c, filterShape: [1, 1, c.filterShape[2], c.filterShape[3]], strides: [1, 1], pad: 'valid' };
  }
  const k: [number, number] = [randomInt(next, 1, 4), randomInt(next, 1, 4)];
  const dilations: [number, number] = dilated ? [randomInt(next, 1, 3), randomInt(next, 1, 3)] : [1, 1];
  // tfjs allows strides > 1 or dilations > 1, not both.
  const strided = dilations[0] === 1 && dilations[1] === 1;
  const strides: [number, number] = strided ? [randomInt(next, 1, 3), randomInt(next, 1, 3)] : [1, 1];
  // tfjs sizes numeric padding from the filter height, stride and dilation of the
  // first axis alone, so it is drawn only when both axes agree.
  const square = k[0] === k[1] && strides[0] === strides[1] && dilations[0] === dilations[1];
  const pad = pick<Pad>(next, ['same', 'valid', ...(square ? [randomInt(next, 0, 2)] : [])]);
  const span = (i: 0 | 1) => (k[i] - 1) * dilations[i] + 1;
  // Channel counts on both sides of the SIMD tile sizes (4 in, 8 out).
  const inC = randomInt(next, 1, 9);
  const xShape: [number, number, number, number] = [
    randomInt(next, 1, 3), span(0) + randomInt(next, 0, 9), span(1) + randomInt(next, 0, 9), inC];
  const out = depthwise ? randomInt(next, 1, 3) : randomInt(next, 1, 17);
  return { xShape, filterShape: [k[0], k[1], inC, out], strides, dilations, pad };
}

/** The output shape of a case's forward convolution. */
export function outShape(c: ConvCase, depthwise: boolean): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    c.xShape, c.filterShape, c.strides, c.dilations, c.pad, 'floor', depthwise);
  return info.outShape;
}

/** A dilated filter as the undilated one with zeros between taps, for the cpu reference. */
export function dilateFilter(f: Float32Array, shape: number[], d: [number, number]): [Float32Array, number[]] {
  const [kh = 0, kw = 0, c = 0, m = 0] = shape;
  const eh = (kh - 1) * d[0] + 1;
  const ew = (kw - 1) * d[1] + 1;
  const out = new Float32Array(eh * ew * c * m);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let q = 0; q < c * m; q++) {
    out[((i * d[0]) * ew + j * d[1]) * c * m + q] = f[(i * kw + j) * c * m + q] ?? 0;
  }
  return [out, [eh, ew, c, m]];
}

/** The gradient of a zero-inserted filter, read back at the real taps. */
export function pickTaps(g: Float32Array, wideShape: number[], d: [number, number]): Float32Array {
  const [eh = 0, ew = 0, c = 0, m = 0] = wideShape;
  const kh = (eh - 1) / d[0] + 1;
  const kw = (ew - 1) / d[1] + 1;
  const out = new Float32Array(kh * kw * c * m);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let q = 0; q < c * m; q++) {
    out[(i * kw + j) * c * m + q] = g[((i * d[0]) * ew + j * d[1]) * c * m + q] ?? 0;
  }
  return out;
}

/** A random shape of `rank` dimensions, each 1..max. */
export function randomShape(next: () => number, rank: number, max = 6): number[] {
  return Array.from({ length: rank }, () => randomInt(next, 1, max));
}

/**
 * Random inputs of a dilated depthwise case, with what a reference needs where cpu's
 * depthwise gradients ignore dilations: the equivalent zero-inserted filter and the
 * attributes without dilation.
 */
export function dilatedDepthwiseInputs(next: () => number, c: ConvCase) {
  const dyShape = outShape(c, true);
  const x = randomArray(next, tf.util.sizeFromShape(c.xShape));
  const dy = randomArray(next, tf.util.sizeFromShape(dyShape));
  const filter = randomArray(next, tf.util.sizeFromShape(c.filterShape));
  const [wide, wideShape] = dilateFilter(filter, c.filterShape, c.dilations);
  const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, dimRoundingMode: 'floor' };
  return { dyShape, x, dy, filter, wide, wideShape, attrs, undilated: { ...attrs, dilations: [1, 1] } };
}
