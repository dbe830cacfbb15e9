import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../src/models/export-model.js';
import { loadModel, saveModel } from '../../src/models/model-files.js';
import { buildTargetModel } from '../../src/models/target-model.js';

// A small float model quantized here as tensorflowjs_converter does it
// (python/tensorflowjs/quantization.py), so the test does not trust tlx's reading
// of the scheme: tlx must load each form, dequantized to float32, with predictions
// within the bound the quantization error allows.

type Form = 'uint8' | 'uint16' | 'float16';

interface Quantized {
  readonly bytes: Uint8Array;
  readonly quantization: { dtype: Form; min?: number; scale?: number };
  /** The float32 values the stored ones stand for. */
  readonly values: Float32Array;
  /** The most each value may differ from the original. */
  readonly error: Float32Array;
}

/**
 * The converter's affine scheme: scale = (max - min) / qmax; where the range holds 0,
 * min is nudged so that 0 is a stored value; q = round((clip(w) - min) / scale);
 * a constant tensor is stored as zeros with min = the value and scale 1.
 */
function quantizeAffine(w: Float32Array, dtype: 'uint8' | 'uint16'): Quantized {
  const qmax = dtype === 'uint8' ? 0xff : 0xffff;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of w) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  let [min, max, scale] = [lo, hi, 1];
  const q = dtype === 'uint8' ? new Uint8Array(w.length) : new Uint16Array(w.length);
  if (lo !== hi) {
    scale = (hi - lo) / qmax;
    if (lo <= 0 && hi >= 0) {
      min = -roundHalfEven(-lo / scale) * scale;
      max = qmax * scale + min;
    }
    w.forEach((v, i) => { q[i] = roundHalfEven((Math.min(max, Math.max(min, v)) - min) / scale); });
  }
  const values = Float32Array.from(q, (v) => v * scale + min);
  // Half a step (none for a constant), plus the float32 rounding of the dequantized value.
  const step = lo === hi ? 0 : scale / 2;
  const error = Float32Array.from(w, (v) => step + Math.abs(v) * 2 ** -23);
  return { bytes: new Uint8Array(q.buffer), quantization: { dtype, min, scale }, values, error };
}

/** numpy's round (half to even), which the converter uses. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A float32 as IEEE 754 half (round to nearest, ties to even), as numpy's astype(float16). */
function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (exponent >= 0x1f) return sign | 0x7c00; // past 65504 (the test's weights never are)
  const round = (m: number, shift: number) => {
    const kept = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
  };
  if (exponent <= 0) return exponent < -10 ? sign : sign | round(mantissa | 0x800000, 14 - exponent);
  return sign | ((exponent << 10) + round(mantissa, 13)); // a carry out of the mantissa moves the exponent up, as it should
}

/** An IEEE half's value. */
function fromHalf(h: number): number {
  const exponent = (h >>> 10) & 0x1f;
  const value = exponent === 0 ? (h & 0x3ff) * 2 ** -24 : (1 + (h & 0x3ff) / 1024) * 2 ** (exponent - 15);
  return h & 0x8000 ? -value : value;
}

function quantizeHalf(w: Float32Array): Quantized {
  const q = Uint16Array.from(w, toHalf);
  const values = Float32Array.from(q, fromHalf);
  const error = Float32Array.from(w, (v) => Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
  return { bytes: new Uint8Array(q.buffer), quantization: { dtype: 'float16' }, values, error };
}

const quantize = (w: Float32Array, form: Form) => form === 'float16' ? quantizeHalf(w) : quantizeAffine(w, form);

const root = mkdtempSync(join(tmpdir(), 'tlx-quantized-'));
const x = tf.tidy(() => tf.randomNormal([16, 6], 0, 1, 'float32', 5));
let float: tfl.LayersModel;
let weights: Float32Array[];

/** The float model's weights quantized as `form`, written as the converter writes a model folder. */
function writeQuantized(form: Form): { dir: string; quantized: Quantized[] } {
  const json = JSON.parse(readFileSync(join(root, 'float', 'model.json'), 'utf8'));
  const quantized = weights.map((w) => quantize(w, form));
  const dir = join(root, form);
  mkdirSync(dir);
  json.weightsManifest = [{
    paths: ['group1-shard1of1.bin'],
    weights: json.weightsManifest[0].weights.map((spec: object, i: number) => ({ ...spec, quantization: quantized[i]!.quantization })),
  }];
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.concat(quantized.map((q) => q.bytes)));
  return { dir, quantized };
}

/**
 * Per example and output, the most the quantized model's logits may differ from
 * the float model's: for relu(x W1 + b1) W2 + b2, with per-weight errors e,
 * |dh| <= |x| e(W1) + e(b1) and |dz| <= |dh| |W2| + (|h| + |dh|) e(W2) + e(b2),
 * plus float32 rounding of the sums.
 */
function logitBound(e: readonly Float32Array[]): Float32Array {
  const [w1, , w2] = weights as [Float32Array, Float32Array, Float32Array, Float32Array];
  const [e1, eb1, e2, eb2] = e as [Float32Array, Float32Array, Float32Array, Float32Array];
  const [n, d] = x.shape as [number, number];
  const [hidden, out] = [eb1.length, eb2.length];
  const xs = x.dataSync();
  const h = tfl.model({ inputs: float.inputs, outputs: float.getLayer('hidden').output as tfl.SymbolicTensor });
  const hs = (h.predict(x) as tf.Tensor).dataSync();
  const bound = new Float32Array(n * out);
  for (let s = 0; s < n; s++) {
    const dh = Array.from({ length: hidden }, (_, j) => {
      let sum = eb1[j]!;
      for (let i = 0; i < d; i++) sum += Math.abs(xs[s * d + i]!) * e1[i * hidden + j]!;
      return sum;
    });
    for (let k = 0; k < out; k++) {
      let sum = eb2[k]!;
      let magnitude = 0;
      for (let j = 0; j < hidden; j++) {
        const hj = Math.abs(hs[s * hidden + j]!);
        sum += dh[j]! * Math.abs(w2[j * out + k]!) + (hj + dh[j]!) * e2[j * out + k]!;
        magnitude += hj * Math.abs(w2[j * out + k]!);
      }
      bound[s * out + k] = sum + 1e-6 * (1 + magnitude);
    }
  }
  return bound;
}

const predict = (model: tfl.LayersModel) => (model.predict(x) as tf.Tensor).dataSync() as Float32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  float = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [6], units: 8, activation: 'relu', name: 'hidden', kernelInitializer: tfl.initializers.randomNormal({ seed: 1 }) }),
      tfl.layers.dense({ units: 4, name: 'logits', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  // Each branch of the converter's scheme: kernels across 0 (nudged), a zero bias
  // (constant), an all-positive bias (not nudged).
  float.getLayer('logits').setWeights([float.getLayer('logits').getWeights()[0]!, tf.tensor1d([0.3, 0.5, 0.7, 1.1])]);
  weights = float.getWeights().map((w) => w.dataSync() as Float32Array);
  await saveModel(float, join(root, 'float'), {});
});

describe.each(['uint8', 'uint16', 'float16'] as const)('weights quantized as %s by the converter\'s scheme', (form) => {
  let loaded: tfl.LayersModel;
  let quantized: Quantized[];
  let dir: string;

  beforeAll(async () => {
    ({ dir, quantized } = writeQuantized(form));
    loaded = await loadModel(join(dir, 'model.json'));
  });

  it('load as float32, dequantized to exactly the values the stored ones stand for', () => {
    const got = loaded.getWeights();
    expect(got.map((w) => w.dtype)).toEqual(['float32', 'float32', 'float32', 'float32']);
    got.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(quantized[i]!.values)));
  });

  it('predict within the quantization bound of the float model, and not identically', () => {
    const [want, got] = [predict(float), predict(loaded)];
    const bound = logitBound(quantized.map((q) => q.error));
    let moved = 0;
    want.forEach((v, i) => {
      expect(Math.abs(got[i]! - v), `logit ${i}`).toBeLessThanOrEqual(bound[i]!);
      moved = Math.max(moved, Math.abs(got[i]! - v));
    });
    expect(moved).toBeGreaterThan(0); // the quantization did change something
    // The bound is tight enough to mean something: a small part of the logits' spread.
    expect(Math.max(...bound)).toBeLessThan({ uint8: 0.05, uint16: 2e-4, float16: 4e-3 }[form]);
  });

  it('a target model built on it exports float32 weights, which reload to the same predictions', async () => {
    const target = buildTargetModel(loaded, { cut: 'hidden', frozen: ['hidden'], head: [], classes: 3 });
    const out = join(dir, 'export');
    await exportModel(target, out, ['a', 'b', 'c'], { inputShape: [6, 1, 1], resize: 'bilinear', scale: '0..1' }, {});
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const specs = json.weightsManifest.flatMap((g: { weights: object[] }) => g.weights);
    for (const spec of specs) {
      expect(spec).not.toHaveProperty('quantization');
      expect(spec.dtype).toBe('float32');
    }
    const elements = specs.reduce((n: number, s: { shape: number[] }) => n + s.shape.reduce((a, b) => a * b, 1), 0);
    expect(statSync(join(out, 'weights.bin')).size).toBe(4 * elements);
    const again = await loadModel(join(out, 'model.json'));
    expect(Array.from(predict(again))).toEqual(Array.from(predict(target)));
    expect(Array.from(again.getLayer('hidden').getWeights()[0]!.dataSync())).toEqual(Array.from(quantized[0]!.values));
  });
});

it('the half-precision conversion is IEEE 754 (normal, subnormal, ties to even, carry)', () => {
  expect([1, -2, 65504, 2 ** -14, 2 ** -24, 2 ** -25, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 2 - 2 ** -12, 0.1].map(toHalf))
    .toEqual([0x3c00, 0xc000, 0x7bff, 0x0400, 0x0001, 0x0000, 0x3c00, 0x3c02, 0x4000, 0x2e66]);
  expect([0x3c00, 0x0001, 0x2e66, 0xc000].map(fromHalf)).toEqual([1, 2 ** -24, Math.fround(0.0999755859375), -2]);
});
