import type * as tf from '@tensorflow/tfjs-core';
import type { PixelScale } from '../data/images/batches.js';
import { exampleChunks, type Examples } from '../data/examples.js';
import { exampleInputs } from './inputs.js';
import { batchOutputs } from './predict.js';

/** Examples decoded at once: enough to keep sharp's threads busy, few enough that a chunk of 224 px photos is ~40 MB. */
const CHUNK = 256;

/**
 * `forward` of every example of a set, in order, its outputs concatenated: the
 * images decoded a chunk at a time, so a folder too big for memory as pixels needs
 * only one chunk of them and the outputs. Chunks are whole multiples of
 * `batchSize`, so the batches (and their numbers) are those batchOutputs makes of
 * the whole set.
 */
export async function chunkedOutputs(set: Examples, scale: PixelScale, batchSize: number, forward: (batch: tf.Tensor) => tf.Tensor): Promise<Float32Array> {
  const n = set.labels.length;
  let out: Float32Array | undefined;
  let at = 0;
  for await (const chunk of exampleChunks(set, batchSize * Math.max(1, Math.ceil(CHUNK / batchSize)))) {
    const values = await batchOutputs(exampleInputs(chunk, scale), batchSize, forward);
    const count = chunk.labels.length;
    out ??= new Float32Array(n * (values.length / count));
    out.set(values, at * (values.length / count));
    at += count;
  }
  return out ?? new Float32Array(0);
}
