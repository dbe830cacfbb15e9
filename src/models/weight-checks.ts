import type * as tf from '@tensorflow/tfjs-core';
import { posix, win32 } from 'node:path';
import type { ModelProblem } from './topology-checks.js';

// A model.json from elsewhere is untrusted input: its weight paths name files that
// are read (a local model) or written (a download), so each must stay inside the
// model's folder; and its weights must be numbers a model can compute with.

export interface WeightGroup {
  readonly paths: string[];
  readonly weights: tf.io.WeightsManifestEntry[];
}

// What TensorFlow.js decodes (io.decodeWeights): weights stored as their dtype, or
// as tensorflowjs_converter quantizes them (--quantize_uint8, _uint16: affine
// min + scale * q; --quantize_float16: IEEE half), dequantized at load.
const PLAIN: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };
const QUANTIZED: Readonly<Record<string, { readonly bytes: number; readonly of: readonly string[] }>> = {
  uint8: { bytes: 1, of: ['float32', 'int32'] },
  uint16: { bytes: 2, of: ['float32', 'int32'] },
  float16: { bytes: 2, of: ['float32'] },
};

/** A table's entry for a key from a file (never one of Object.prototype's). */
const entry = <T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;

/** Bytes one element of a weight takes in its shard (quantized weights: their stored type). */
export function bytesPerElement(spec: tf.io.WeightsManifestEntry): number | undefined {
  return spec.quantization == null ? entry(PLAIN, spec.dtype) : entry(QUANTIZED, spec.quantization.dtype)?.bytes;
}

const elements = (spec: tf.io.WeightsManifestEntry) => spec.shape.reduce((a, b) => a * b, 1);

/** Bytes a weight takes in its shard. */
export function weightBytes(spec: tf.io.WeightsManifestEntry): number {
  return (bytesPerElement(spec) ?? 4) * elements(spec);
}

/**
 * Why a weight path cannot be used, or undefined: it must be a relative file path
 * that stays inside the model's folder (no absolute path, drive, URL or `..` out).
 */
export function weightPathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return `weight path ${JSON.stringify(path)} is not a file name`;
  const quoted = `weight path '${path}'`;
  if (posix.isAbsolute(path) || win32.isAbsolute(path) || /^[a-z][a-z0-9+.-]*:/i.test(path)) return `${quoted} is absolute`;
  const normal = posix.normalize(path.replaceAll('\\', '/'));
  if (normal === '..' || normal.startsWith('../') || normal === '.' || path.includes('\0')) return `${quoted} leaves the model's folder`;
  return undefined;
}

/** The first problem of a weights manifest's shape and paths, or undefined. */
export function manifestProblem(manifest: unknown): ModelProblem | undefined {
  const format = (message: string): ModelProblem => ({ code: 'E_MODEL_FORMAT', message: `weightsManifest: ${message}` });
  if (manifest == null) return undefined;
  if (!Array.isArray(manifest)) return format('expected a list of weight groups');
  for (const group of manifest as Partial<WeightGroup>[]) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights)) return format('expected groups of { paths, weights }');
    for (const path of group.paths) {
      const problem = weightPathProblem(path);
      if (problem) {
        return {
          code: 'E_MODEL_PATH', message: problem,
          hint: 'weight paths are file names relative to model.json (group1-shard1of1.bin); do not use a model.json that lists others',
        };
      }
    }
    for (const spec of group.weights) {
      const ok = typeof spec?.name === 'string' && Array.isArray(spec.shape) && spec.shape.every((d) => Number.isInteger(d) && d >= 0);
      if (!ok) return format('expected weights of { name, shape, dtype }');
      const problem = dtypeProblem(spec);
      if (problem) return { ...format(`weight '${spec.name}' ${problem}`), hint: DTYPE_HINT };
    }
  }
  return undefined;
}

const DTYPE_HINT = 'TensorFlow.js reads float32, int32 and bool weights, and float32 weights quantized by tensorflowjs_converter '
  + '(--quantize_uint8, --quantize_uint16, --quantize_float16): convert the model again';

/** Why TensorFlow.js cannot decode a weight as stored, or undefined. */
function dtypeProblem(spec: tf.io.WeightsManifestEntry): string | undefined {
  const dtype = `'${String(spec.dtype)}'`;
  if (!('quantization' in spec)) return entry(PLAIN, spec.dtype) == null ? `has dtype ${dtype}, which tlx cannot read` : undefined;
  const q: unknown = spec.quantization;
  if (q == null || typeof q !== 'object' || Array.isArray(q)) return 'has a quantization that is not an object ({ dtype, min, scale })';
  const { dtype: stored, min, scale } = q as Record<string, unknown>;
  const form = entry(QUANTIZED, stored);
  if (form == null) return `is quantized as '${String(stored)}', which tlx cannot read (expected uint8, uint16 or float16)`;
  if (!form.of.includes(String(spec.dtype))) return `has dtype ${dtype} quantized as '${String(stored)}', which TensorFlow.js cannot read`;
  if (stored !== 'float16' && (typeof min !== 'number' || typeof scale !== 'number')) {
    return `is quantized as '${String(stored)}' without the numbers min and scale that dequantize it`;
  }
  return undefined;
}

/**
 * The first weight holding NaN or an infinite value, with the element, or
 * undefined; `data` is the weights in manifest order, as the shards hold them.
 */
export function nonFiniteWeight(specs: readonly tf.io.WeightsManifestEntry[], data: Uint8Array): string | undefined {
  let at = 0;
  for (const spec of specs) {
    const size = weightBytes(spec);
    const bytes = data.subarray(at, at + size);
    at += size;
    const found = nonFiniteIn(spec, bytes);
    if (found != null) return `weight '${spec.name}' holds ${found.value} (element ${found.index} of ${elements(spec)})`;
  }
  return undefined;
}

function nonFiniteIn(spec: tf.io.WeightsManifestEntry, bytes: Uint8Array): { index: number; value: string } | undefined {
  const q = spec.quantization;
  const dtype = q?.dtype ?? spec.dtype;
  // Shards are little-endian, as TensorFlow.js reads them; an unaligned weight is copied.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  if (q && dtype !== 'float16') {
    for (const [key, v] of [['scale', q.scale], ['min', q.min]] as const) {
      if (v != null && !Number.isFinite(v)) return { index: 0, value: `${String(v)} as its quantization ${key}` };
    }
    if (spec.dtype !== 'float32') return undefined; // int32 weights are rounded, never NaN
    // Dequantized as TensorFlow.js does (min + scale * q, in float32), which overflows
    // to infinity where the stored value times the scale is past float32's range.
    const values = dtype === 'uint8' ? aligned : new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
    const [min, scale] = [q.min ?? 0, q.scale ?? 1];
    const top = dtype === 'uint8' ? 0xff : 0xffff;
    // Linear in the stored value: finite at both ends of its range, finite everywhere.
    if (Number.isFinite(Math.fround(min)) && Number.isFinite(Math.fround(top * scale + min))) return undefined;
    for (let i = 0; i < values.length; i++) {
      const value = Math.fround(values[i]! * scale + min);
      if (!Number.isFinite(value)) return { index: i, value: `${String(value)} once dequantized (${min} + ${scale} * ${values[i]!})` };
    }
    return undefined;
  }
  if (dtype === 'float32') {
    const values = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) return { index: i, value: String(values[i]) };
    }
  } else if (dtype === 'float16') {
    const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
    for (let i = 0; i < halves.length; i++) {
      const h = halves[i]!;
      // All exponent bits set: an infinity (mantissa 0) or NaN.
      if ((h & 0x7c00) === 0x7c00) return { index: i, value: (h & 0x03ff) === 0 ? `${h & 0x8000 ? '-' : ''}Infinity` : 'NaN' };
    }
  }
  return undefined;
}
