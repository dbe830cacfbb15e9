import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TEXT_ARCHITECTURES, type TextArchitectureName, type TextArchitectureOptions } from '../../../src/models/architectures/text-index.js';
import { loadModel, saveModel } from '../../../src/models/model-files.js';
import { randomInt, relativeError } from '../../support/random.js';

/** Random sentences: token ids in [1, vocabulary), lengths in [1, most]. */
export function sentences(next: () => number, count: number, most: number, vocabulary: number): number[][] {
  return Array.from({ length: count }, () =>
    Array.from({ length: randomInt(next, 1, most) }, () => randomInt(next, 1, vocabulary - 1)));
}

/** The sentences padded with 0 to `length`, as an int32 batch. */
export function padded(batch: readonly number[][], length: number): tf.Tensor2D {
  const ids = new Int32Array(batch.length * length);
  batch.forEach((s, i) => ids.set(s, i * length));
  return tf.tensor2d(ids, [batch.length, length], 'int32');
}

export function predict(model: tfl.LayersModel, ids: tf.Tensor2D): Float32Array {
  return tf.tidy(() => (model.predict(ids) as tf.Tensor).dataSync() as Float32Array);
}

/**
 * The same weights at two input lengths: the output for each sentence, padded to
 * each. Weights do not depend on maxLength, so the longer model takes the shorter's.
 */
export function atTwoLengths(name: TextArchitectureName, options: TextArchitectureOptions, batch: readonly number[][], longer: number) {
  const short = TEXT_ARCHITECTURES[name](options);
  const long = TEXT_ARCHITECTURES[name]({ ...options, maxLength: longer });
  long.setWeights(short.getWeights());
  const [a, b] = [padded(batch, options.maxLength), padded(batch, longer)];
  const result = { short: predict(short, a), long: predict(long, b) };
  tf.dispose([a, b]);
  short.dispose();
  long.dispose();
  return result;
}

/** Saves with tlx's saveModel, loads with loadModel: same class names, same predictions. */
export async function expectRoundTrip(model: tfl.LayersModel, ids: tf.Tensor2D, customClasses: readonly string[]): Promise<void> {
  const dir = join(mkdtempSync(join(tmpdir(), 'tlx-text-')), 'model');
  await saveModel(model, dir, {});
  const loaded = await loadModel(join(dir, 'model.json'));
  const classes = loaded.layers.map((l) => l.getClassName());
  for (const c of customClasses) expect(classes).toContain(c);
  expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
  expect(relativeError(predict(loaded, ids), predict(model, ids))).toBe(0);
  loaded.dispose();
}
