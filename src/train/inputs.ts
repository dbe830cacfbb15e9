import * as tf from '@tensorflow/tfjs-core';
import type { Augment } from '../config/resolved.js';
import { imageBatch, type PixelScale } from '../data/images/batches.js';
import { decodeExamples, type Examples, type InMemory } from '../data/examples.js';
import type { ImageSet } from '../data/images/image-set.js';
import { isTokenSet, type TokenSet } from '../data/text/token-set.js';

/**
 * What a model is fed, one batch at a time: scaled images, or activations of a
 * frozen prefix computed once (see frozen-features.ts). Training never needs to
 * know which.
 */
export interface Inputs {
  readonly count: number;
  readonly labels: Int32Array;
  /** Number of classes the labels range over. */
  readonly classes: number;
  /** The examples at `indices`; `training` batches are augmented when asked. */
  batch(indices: ArrayLike<number>, training?: boolean): tf.Tensor;
}

export function imageInputs(set: ImageSet, scale: PixelScale, augment?: Augment): Inputs {
  return {
    count: set.labels.length,
    labels: set.labels,
    classes: set.classes,
    batch: (indices, training = false) => imageBatch(set, indices, scale, training ? augment : undefined),
  };
}

/** Token ids of the texts at `indices`, [n, maxLength] int32. */
export function tokenInputs(set: TokenSet): Inputs {
  const length = set.shape[0];
  return {
    count: set.labels.length,
    labels: set.labels,
    classes: set.classes,
    batch: (indices) => {
      const out = new Int32Array(indices.length * length);
      for (let i = 0; i < indices.length; i++) out.set(set.tokens.subarray(indices[i]! * length, (indices[i]! + 1) * length), i * length);
      return tf.tensor2d(out, [indices.length, length], 'int32');
    },
  };
}

/** Examples in memory as model input: images scaled (and augmented for training), texts as token ids. */
export function exampleInputs(set: InMemory, scale: PixelScale, augment?: Augment): Inputs {
  return isTokenSet(set) ? tokenInputs(set) : imageInputs(set, scale, augment);
}

export interface TrainingSets<T> {
  readonly train: T;
  readonly validation: T;
  readonly test: T;
}

/**
 * A task's target examples as prepared (image files perhaps not decoded) and, once
 * a view needs every input in memory, decoded, only once however many phases ask.
 */
export interface TargetExamples {
  readonly sets: TrainingSets<Examples>;
  decoded(): Promise<TrainingSets<InMemory>>;
}

export function targetExamples(sets: TrainingSets<Examples>): TargetExamples {
  let decoding: Promise<TrainingSets<InMemory>> | undefined;
  return {
    sets,
    decoded: () => (decoding ??= (async () => ({
      train: await decodeExamples(sets.train), validation: await decodeExamples(sets.validation), test: await decodeExamples(sets.test),
    }))()),
  };
}

/** The three sets as model input; only training batches are augmented. */
export function exampleSets(sets: TrainingSets<InMemory>, scale: PixelScale, augment?: Augment): TrainingSets<Inputs> {
  return { train: exampleInputs(sets.train, scale, augment), validation: exampleInputs(sets.validation, scale), test: exampleInputs(sets.test, scale) };
}

/** Precomputed float features, `shape` per example. */
export function featureInputs(values: Float32Array, shape: readonly number[], labels: Int32Array, classes: number): Inputs {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    count: labels.length,
    labels,
    classes,
    batch: (indices) => {
      const out = new Float32Array(indices.length * size);
      for (let i = 0; i < indices.length; i++) out.set(values.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size);
      return tf.tensor(out, [indices.length, ...shape]);
    },
  };
}

export function labelBatch(inputs: Pick<Inputs, 'labels'>, indices: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from({ length: indices.length }, (_, i) => inputs.labels[indices[i]!]!));
}
