import * as tf from '@tensorflow/tfjs-core';
import type { Augment } from '../config/resolved.js';
import { imageBatch, type PixelScale } from '../data/batches.js';
import type { Images, ImageSet } from '../data/image-set.js';
import { decodeImages } from '../data/images.js';

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

export interface TrainingSets<T> {
  readonly train: T;
  readonly validation: T;
  readonly test: T;
}

/**
 * A task's target images as prepared (files perhaps not decoded) and, once a view
 * needs every pixel in memory, decoded, only once however many phases ask.
 */
export interface TargetImages {
  readonly sets: TrainingSets<Images>;
  decoded(): Promise<TrainingSets<ImageSet>>;
}

export function targetImages(sets: TrainingSets<Images>): TargetImages {
  let decoding: Promise<TrainingSets<ImageSet>> | undefined;
  return {
    sets,
    decoded: () => (decoding ??= (async () => ({
      train: await decodeImages(sets.train), validation: await decodeImages(sets.validation), test: await decodeImages(sets.test),
    }))()),
  };
}

/** The three sets as scaled images; only training batches are augmented. */
export function imageSets(sets: TrainingSets<ImageSet>, scale: PixelScale, augment?: Augment): TrainingSets<Inputs> {
  return { train: imageInputs(sets.train, scale, augment), validation: imageInputs(sets.validation, scale), test: imageInputs(sets.test, scale) };
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
