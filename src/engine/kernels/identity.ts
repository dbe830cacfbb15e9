import type * as tf from '@tensorflow/tfjs-core';
import { asHeapBackend } from './wasm-heap.js';

/**
 * Identity without a copy. wasm's kernel copies the whole tensor, and gradients
 * pass through Identity often (~130 ms per MobileNet step). Tensors are immutable,
 * so sharing the data with one more reference is what the cpu backend does too.
 */
export const identity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') throw new Error('tlx identity: string tensors are not on the wasm heap');
  asHeapBackend(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};
