import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './tensor-inputs.js';

/**
 * UnsortedSegmentSum, the gradient of tf.gather (embeddings), which wasm lacks.
 * A single pass in JavaScript: each row of x is added to the row its segment id
 * names; ids outside [0, numSegments) are dropped, as TensorFlow does.
 */
export const unsortedSegmentSum: tf.KernelFunc = ({ inputs, attrs }) => {
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const x = asTensor(inputs.x, 'x');
  const ids = asTensor(inputs.segmentIds, 'segmentIds');
  const rowSize = tf.util.sizeFromShape(x.shape.slice(ids.rank));
  const values = x.dataSync();
  const segment = ids.dataSync();
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize);
  for (let r = 0; r < segment.length; r++) {
    const s = segment[r] ?? -1;
    if (s < 0 || s >= numSegments) continue;
    const from = r * rowSize;
    const to = s * rowSize;
    for (let k = 0; k < rowSize; k++) out[to + k] = (out[to + k] ?? 0) + (values[from + k] ?? 0);
  }
  return tf.tensor(out, [numSegments, ...x.shape.slice(ids.rank)], x.dtype);
};
