import * as tf from '@tensorflow/tfjs-core';
import { simdKernels } from '../simd/tlx-kernels.js';
import { asHeapBackend, heapViews, offsetOf } from './wasm-heap.js';

/**
 * UnsortedSegmentSum, the gradient of tf.gather (embeddings), which wasm lacks.
 * Each row of x is added to the row its segment id names; ids outside
 * [0, numSegments) are dropped, as TensorFlow does. It works in place on the wasm
 * heap: the output is zeroed there and float rows are added by a SIMD loop
 * (tlx-kernels.c); int32 rows by a typed-array loop on the heap views.
 */
export const unsortedSegmentSum: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const x = inputs.x as tf.TensorInfo;
  const segmentIds = inputs.segmentIds as tf.TensorInfo;
  const heap = asHeapBackend(backend);
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const width = tf.util.sizeFromShape(rowShape);
  // tf.gather's gradient hands int32 ids; others are cast (and that cast disposed).
  const ids = segmentIds.dtype === 'int32' ? segmentIds : castToInt(heap, segmentIds);
  try {
    const { out, outView, views } = heapViews(heap, { x, ids }, [numSegments, ...rowShape], x.dtype);
    outView.fill(0);
    if (x.dtype === 'float32') {
      simdKernels(heap.wasm).segmentSum(offsetOf(heap, x), offsetOf(heap, ids), rows, width, numSegments, offsetOf(heap, out));
    } else {
      addRows(views.x, views.ids, rows, width, numSegments, outView);
    }
    return out;
  } finally {
    if (ids !== segmentIds) (backend as tf.KernelBackend).disposeData(ids.dataId);
  }
};

function addRows(x: tf.TypedArray, ids: tf.TypedArray, rows: number, width: number, segments: number, out: tf.TypedArray): void {
  for (let r = 0; r < rows; r++) {
    const s = ids[r]!;
    if (s < 0 || s >= segments) continue;
    const from = r * width;
    const to = s * width;
    for (let k = 0; k < width; k++) out[to + k]! += x[from + k]!;
  }
}

function castToInt(heap: ReturnType<typeof asHeapBackend>, info: tf.TensorInfo): tf.TensorInfo {
  const out = heap.makeOutput([...info.shape], 'int32');
  const source = heap.typedArrayFromHeap(info);
  const target = heap.typedArrayFromHeap(out);
  for (let i = 0; i < source.length; i++) target[i] = Math.trunc(source[i]!);
  return out;
}
