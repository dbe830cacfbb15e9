import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Augment } from '../config/resolved.js';
import type { PixelScale } from '../data/batches.js';
import type { ImageSet } from '../data/image-set.js';
import { splitFrozenPrefix } from '../models/frozen-prefix.js';
import type { FeatureExtractor } from '../models/source-model.js';
import { featureInputs, imageSets, type Inputs, type TrainingSets } from './inputs.js';
import { microBatchSize } from '../engine/memory-budget.js';
import { batchOutputs, predictProbabilities } from './predict.js';

/** What to train and on what: the whole model on images, or its trainable suffix on cached features. */
export interface TrainingView {
  readonly model: tfl.LayersModel;
  readonly inputs: TrainingSets<Inputs>;
  /** Where features were cached and how big they are, or why they were not. */
  readonly cache: FeatureCache;
}

export type FeatureCache = { readonly boundary: string; readonly mib: number } | { readonly off: string };

export interface FeatureCacheOptions {
  readonly scale: PixelScale;
  readonly augment?: Augment;
  /** Bytes the cached features may take; false turns caching off. */
  readonly budget: number | false;
}

export function augments(augment: Augment | undefined): boolean {
  return augment?.flip === true || (augment?.shift ?? 0) > 0;
}

/**
 * Computes the activations of the model's frozen prefix once for every example and
 * trains only the rest on them, when that gives the same numbers (no augmentation,
 * a constant prefix; see splitFrozenPrefix) and fits the memory budget. Otherwise
 * the whole model sees images, the frozen layers recomputed every batch.
 */
export function frozenFeatureView(model: tfl.LayersModel, sets: TrainingSets<ImageSet>, options: FeatureCacheOptions): TrainingView {
  const images = imageSets(sets, options.scale, options.augment);
  const streamed = (off: string): TrainingView => ({ model, inputs: images, cache: { off } });
  const off = notCached(options);
  if (off) return streamed(off);
  const split = splitFrozenPrefix(model);
  if (!split.ok) return streamed(split.reason);
  const shape = split.prefix.outputs[0]!.shape.slice(1) as number[];
  const size = cacheSize(sets, shape, split.boundary, options);
  if ('off' in size) return streamed(size.off);
  const mib = size.mib;
  // Each set as end-to-end training sees it: training batches under gradient
  // recording, validation and test through predict.
  const features = (set: ImageSet, values: Float32Array) => featureInputs(values, shape, set.labels, set.classes);
  return {
    model: split.suffix,
    inputs: {
      train: features(sets.train, forwardAsInTraining(split.prefix, images.train)),
      validation: features(sets.validation, predictProbabilities(split.prefix, images.validation)),
      test: features(sets.test, predictProbabilities(split.prefix, images.test)),
    },
    cache: { boundary: split.boundary, mib: Math.round(mib * 10) / 10 },
  };
}

/** Why nothing is cached whatever the model: caching turned off, or augmented training images. */
function notCached(options: FeatureCacheOptions): string | undefined {
  if (options.budget === false) return 'turned off (--no-cache)';
  if (augments(options.augment)) return 'training images are augmented (train.augment)';
  return undefined;
}

/** MiB the features of every example would take, or why that is over the budget. */
function cacheSize(sets: TrainingSets<ImageSet>, shape: readonly number[], boundary: string, options: FeatureCacheOptions): { mib: number } | { off: string } {
  const examples = sets.train.labels.length + sets.validation.labels.length + sets.test.labels.length;
  const bytes = examples * shape.reduce((a, b) => a * b, 1) * 4;
  const mib = bytes / 2 ** 20;
  const budget = options.budget === false ? 0 : options.budget;
  return bytes > budget
    ? { off: `features at ${boundary} would take ${mib.toFixed(0)} MiB, over run.cacheBudget (${(budget / 2 ** 20).toFixed(0)} MiB)` }
    : { mib };
}

/**
 * Training a head on a source that is only a function of the images (a graph
 * model, see models/source-model.ts): its features at the cut are computed once
 * per example when that gives the same numbers and fits the budget, as for a
 * frozen prefix; otherwise the extractor runs on every batch. `head` builds the
 * trained model for features of the shape the extractor gives.
 */
export function extractedFeatureView(
  extractor: FeatureExtractor, head: (shape: readonly number[]) => tfl.LayersModel, sets: TrainingSets<ImageSet>, options: FeatureCacheOptions,
): TrainingView & { readonly shape: readonly number[] } {
  const images = imageSets(sets, options.scale, options.augment);
  const shape = tf.tidy(() => extractor.forward(tf.zeros([1, ...sets.train.shape])).shape.slice(1));
  const model = head(shape);
  const perBatch = (inputs: Inputs): Inputs => ({
    ...inputs, batch: (indices, training) => tf.tidy(() => extractor.forward(inputs.batch(indices, training))),
  });
  const off = notCached(options);
  const size = off ? { off } : cacheSize(sets, shape, extractor.boundary, options);
  if ('off' in size) {
    return { model, shape, cache: { off: size.off }, inputs: { train: perBatch(images.train), validation: perBatch(images.validation), test: perBatch(images.test) } };
  }
  const features = (set: ImageSet, inputs: Inputs) =>
    featureInputs(batchOutputs(inputs, extractor.batchSize, (x) => extractor.forward(x)), shape, set.labels, set.classes);
  return {
    model, shape,
    inputs: { train: features(sets.train, images.train), validation: features(sets.validation, images.validation), test: features(sets.test, images.test) },
    cache: { boundary: extractor.boundary, mib: Math.round(size.mib * 10) / 10 },
  };
}

/**
 * The prefix's outputs exactly as the end-to-end training forward computes them.
 * tfjs runs convolution or dense + bias + activation as one fused kernel outside
 * gradient recording but as separate ops inside it, and the two round differently
 * (1e-8), which training can amplify. So each batch runs under variableGrads (of
 * a throwaway variable: the prefix is not differentiated, and the recording is
 * released per batch).
 */
function forwardAsInTraining(prefix: tfl.LayersModel, inputs: Inputs, batchSize = microBatchSize(prefix, 256, tf.getBackend())): Float32Array {
  const anchor = tf.variable(tf.scalar(0));
  try {
    return batchOutputs(inputs, batchSize, (x) => {
      let y: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        y = tf.keep(prefix.predict(x) as tf.Tensor);
        return tf.mul(anchor, 1) as tf.Scalar;
      }, [anchor]);
      tf.dispose([value, ...Object.values(grads)]);
      return y!;
    });
  } finally {
    anchor.dispose();
  }
}
