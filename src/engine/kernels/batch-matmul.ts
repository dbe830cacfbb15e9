import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './tensor-inputs.js';

/**
 * wasm's BatchMatMul reaches XNNPACK only for untransposed operands; the transposed
 * products that every dense-layer gradient uses take a loop ~100x slower. An explicit
 * transpose first and then the fast kernel is far cheaper. The original kernel is
 * kept (its setupFunc binds the wasm function it calls).
 */
export function untransposedMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    return tf.tidy(() => {
      const a = asTensor(args.inputs.a, 'a');
      const b = asTensor(args.inputs.b, 'b');
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

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [n - 1, n - 2];
  return tf.transpose(t, perm);
}
