import * as tf from '@tensorflow/tfjs-core';
import { simdKernels, withScratch } from '../simd/tlx-kernels.js';
import { asTensor } from './tensor-inputs.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/** Largest A^T B result the SIMD kernel takes; its scratch is 8 bytes per entry. */
const MAX_AT_B_OUTPUT = 256 * 256;

/**
 * wasm's BatchMatMul reaches XNNPACK only for untransposed operands; the transposed
 * products every layer gradient uses take a loop ~100x slower. The weight gradient
 * A^T B (tall A and B, small result) runs as a SIMD kernel that streams both once;
 * other transposed products get an explicit transpose, then the fast kernel, whose
 * original (and setupFunc, which binds it) is kept.
 */
export function untransposedMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const a = asTensor(args.inputs.a, 'a');
    const b = asTensor(args.inputs.b, 'b');
    const plain = args.inputs.bias == null && (attrs.activation == null || attrs.activation === 'linear');
    if (attrs.transposeA && !attrs.transposeB && plain && a.rank === 2 && b.rank === 2 &&
      a.shape[1]! * b.shape[1]! <= MAX_AT_B_OUTPUT && a.dtype === 'float32' && b.dtype === 'float32') {
      return weightGradient(args.backend, a as tf.Tensor2D, b as tf.Tensor2D);
    }
    return tf.tidy(() => {
      const inputs = {
        ...args.inputs,
        a: attrs.transposeA ? swapLastTwo(a) : a,
        b: attrs.transposeB ? swapLastTwo(b) : b,
      };
      const newAttrs = { ...args.attrs, transposeA: false, transposeB: false };
      const out = original({ ...args, inputs, attrs: newAttrs });
      return tf.engine().makeTensorFromTensorInfo(out as tf.TensorInfo);
    });
  };
}

function weightGradient(backend: unknown, a: tf.Tensor2D, b: tf.Tensor2D): tf.TensorInfo {
  const heap = asHeapBackend(backend);
  const [n, m] = a.shape;
  const p = b.shape[1];
  const out = heap.makeOutput([m, p], 'float32');
  withScratch(heap.wasm, undefined, [m * p * 8], (_, acc) =>
    simdKernels(heap.wasm).matmulAtB(offsetOf(heap, a), offsetOf(heap, b), n, m, p, offsetOf(heap, out), acc!));
  return out;
}

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [n - 1, n - 2];
  return tf.transpose(t, perm);
}
