import type * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../../errors.js';

/**
 * The part of tfjs-backend-wasm's backend that lets a JavaScript kernel read its
 * inputs and write its output in place on the wasm heap, with no copies.
 */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}

export function asHeapBackend(backend: unknown): HeapBackend {
  const b = backend as Partial<HeapBackend>;
  if (typeof b.makeOutput !== 'function' || typeof b.typedArrayFromHeap !== 'function') {
    throw new InternalError('a heap kernel was registered for a backend without a wasm heap');
  }
  return b as HeapBackend;
}

/**
 * Allocates the output, then returns views of it and of the inputs. The order
 * matters: allocating can grow the heap, which detaches views taken before.
 */
export function heapViews<K extends string>(
  backend: HeapBackend,
  inputs: Record<K, tf.TensorInfo>,
  outShape: number[],
  outDtype: tf.DataType,
): { out: tf.TensorInfo; outView: tf.TypedArray; views: Record<K, tf.TypedArray> } {
  const out = backend.makeOutput(outShape, outDtype);
  const outView = backend.typedArrayFromHeap(out);
  const views = {} as Record<K, tf.TypedArray>;
  for (const key of Object.keys(inputs) as K[]) views[key] = backend.typedArrayFromHeap(inputs[key]);
  return { out, outView, views };
}
