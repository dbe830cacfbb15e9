import type * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../../errors.js';
import type { WasmModule } from '../simd/tlx-kernels.js';

/**
 * The part of tfjs-backend-wasm's backend that lets tlx kernels work in place on
 * the wasm memory: allocate an output, find a tensor's offset, view its data.
 */
export interface HeapBackend {
  wasm: WasmModule;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
  getMemoryOffset(dataId: tf.DataId): number;
  incRef(dataId: tf.DataId): void;
}

export function asHeapBackend(backend: unknown): HeapBackend {
  const b = backend as Partial<HeapBackend>;
  if (typeof b.makeOutput !== 'function' || typeof b.getMemoryOffset !== 'function' || b.wasm == null) {
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

/** Byte offset of a tensor's data in the wasm memory. */
export function offsetOf(backend: HeapBackend, info: tf.TensorInfo): number {
  return backend.getMemoryOffset(info.dataId);
}
