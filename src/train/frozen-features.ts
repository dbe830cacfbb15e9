import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Augment } from '../config/resolved.js';
import type { PixelScale } from '../data/images/batches.js';
import type { Examples } from '../data/examples.js';
import { splitFrozenPrefix } from '../models/frozen-prefix.js';
import type { FeatureExtractor } from '../models/source-model.js';
import { chunkedOutputs } from './chunked-outputs.js';
import { exampleSets, featureInputs, type Inputs, type TargetExamples, type TrainingSets } from './inputs.js';
import { featurePassBatchSize } from '../engine/memory-budget.js';

/** What to train and on what: the whole model on its inputs (images, tokens), or its trainable suffix on cached features. */
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
 * a constant prefix; see splitFrozenPrefix) and fits the memory budget: images
 * from files are decoded a chunk at a time and only the features kept. Otherwise
 * the whole model sees its inputs, the frozen layers recomputed every batch.
 */
export async function frozenFeatureView(model: tfl.LayersModel, examples: TargetExamples, options: FeatureCacheOptions): Promise<TrainingView> {
  const streamed = async (off: string): Promise<TrainingView> => ({ model, inputs: exampleSets(await examples.decoded(), options.scale, options.augment), cache: { off } });
  const off = notCached(options);
  if (off) return streamed(off);
  const split = splitFrozenPrefix(model);
  if (!split.ok) return streamed(split.reason);
  const { sets } = examples;
  const shape = split.prefix.outputs[0]!.shape.slice(1) as number[];
  const size = cacheSize(sets, shape, split.boundary, options);
  if ('off' in size) return streamed(size.off);
  // Each set as end-to-end training sees it: training batches under gradient
  // recording, validation and test through predict.
  const features = (set: Examples, values: Float32Array) => featureInputs(values, shape, set.labels, set.classes);
  const predicted = (set: Examples) => chunkedOutputs(set, options.scale, featurePassBatchSize(split.prefix, 256, tf.getBackend()), (x) => split.prefix.predict(x) as tf.Tensor);
  return {
    model: split.suffix,
    inputs: {
      train: features(sets.train, await forwardAsInTraining(split.prefix, sets.train, options.scale)),
      validation: features(sets.validation, await predicted(sets.validation)),
      test: features(sets.test, await predicted(sets.test)),
    },
    cache: { boundary: split.boundary, mib: Math.round(size.mib * 10) / 10 },
  };
}

/** Why nothing is cached whatever the model: caching turned off, or augmented training images. */
function notCached(options: FeatureCacheOptions): string | undefined {
  if (options.budget === false) return 'turned off (--no-cache)';
  if (augments(options.augment)) return 'training images are augmented (train.augment)';
  return undefined;
}

/** MiB the features of every example would take, or why that is over the budget. */
function cacheSize(sets: TrainingSets<Examples>, shape: readonly number[], boundary: string, options: FeatureCacheOptions): { mib: number } | { off: string } {
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
export async function extractedFeatureView(
  extractor: FeatureExtractor, head: (shape: readonly number[]) => tfl.LayersModel, examples: TargetExamples, options: FeatureCacheOptions,
): Promise<TrainingView & { readonly shape: readonly number[] }> {
  const { sets } = examples;
  const shape = tf.tidy(() => extractor.forward(tf.zeros([1, ...sets.train.shape])).shape.slice(1));
  const model = head(shape);
  const off = notCached(options);
  const size = off ? { off } : cacheSize(sets, shape, extractor.boundary, options);
  if ('off' in size) {
    const perBatch = (inputs: Inputs): Inputs => ({
      ...inputs, batch: (indices, training) => tf.tidy(() => extractor.forward(inputs.batch(indices, training))),
    });
    const decoded = exampleSets(await examples.decoded(), options.scale, options.augment);
    return { model, shape, cache: { off: size.off }, inputs: { train: perBatch(decoded.train), validation: perBatch(decoded.validation), test: perBatch(decoded.test) } };
  }
  const features = async (set: Examples) =>
    featureInputs(await chunkedOutputs(set, options.scale, extractor.batchSize, (x) => extractor.forward(x)), shape, set.labels, set.classes);
  return {
    model, shape,
    inputs: { train: await features(sets.train), validation: await features(sets.validation), test: await features(sets.test) },
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
function forwardAsInTraining(prefix: tfl.LayersModel, set: Examples, scale: PixelScale, batchSize = featurePassBatchSize(prefix, 256, tf.getBackend())): Promise<Float32Array> {
  const anchor = tf.variable(tf.scalar(0));
  return chunkedOutputs(set, scale, batchSize, (x) => {
    let y: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      y = tf.keep(prefix.predict(x) as tf.Tensor);
      return tf.mul(anchor, 1) as tf.Scalar;
    }, [anchor]);
    tf.dispose([value, ...Object.values(grads)]);
    return y!;
  }).finally(() => anchor.dispose());
}
