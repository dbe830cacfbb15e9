import * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../../errors.js';
import { asHeapBackend, heapViews } from './wasm-heap.js';

/**
 * GatherV2 of whole rows (axis 0, no batch dims: an embedding lookup) by block
 * copies on the wasm heap. wasm's kernel takes ~45 ms to gather 2,500 rows of 300
 * from a 20,000-row table; row copies take well under 1 ms. Other gathers go to
 * wasm's own kernel. Ids outside the table throw, as the cpu backend's check does
 * (tlx's tokenizers map unknown words to id 1, so one reaching here is a bug).
 */
export function rowGather(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
    const x = inputs.x as tf.TensorInfo;
    const indices = inputs.indices as tf.TensorInfo;
    const rowAxis = tf.util.parseAxisParam(axis, x.shape)[0];
    if (rowAxis !== 0 || (batchDims ?? 0) !== 0 || indices.dtype !== 'int32' || x.shape.length === 0 ||
      (x.dtype !== 'float32' && x.dtype !== 'int32')) {
      return original(args);
    }
    const rows = x.shape[0]!;
    const width = tf.util.sizeFromShape(x.shape.slice(1));
    const { out, outView, views } = heapViews(asHeapBackend(backend), { x, indices }, [...indices.shape, ...x.shape.slice(1)], x.dtype);
    const table = views.x;
    const ids = views.indices;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id < 0 || id >= rows) {
        (backend as tf.KernelBackend).disposeData(out.dataId);
        throw new InternalError(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
      }
      outView.set(table.subarray(id * width, (id + 1) * width), i * width);
    }
    return out;
  };
}
