import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ClassWeights } from '../config/resolved.js';
import { UsageError } from '../errors.js';

/** What shapes each example's training loss beyond the compiled cross-entropy. */
export interface LossSettings {
  /** Label smoothing ε (train.labelSmoothing); 0 is none. */
  readonly labelSmoothing: number;
  /** One weight per class (classWeightValues); absent: every class weighs 1. */
  readonly classWeights?: Float32Array;
}

// Keras' epsilon: sparseCategoricalCrossentropy clips probabilities to it too.
const EPSILON = 1e-7;

/**
 * Each example's training loss: the compiled loss (`compiled`, sparse cross-entropy
 * of probabilities), or with label smoothing the cross-entropy against
 * (1 - ε) one-hot + ε / classes, computed as tfjs-layers computes the sparse one;
 * then times its class's weight.
 */
export function exampleLosses(
  compiled: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, yTrue: tf.Tensor, yPred: tf.Tensor, settings: LossSettings,
): tf.Tensor {
  return tf.tidy(() => {
    const labels = tf.cast(yTrue, 'int32');
    let losses: tf.Tensor;
    if (settings.labelSmoothing > 0) {
      const classes = yPred.shape[yPred.shape.length - 1]!;
      const target = tf.add(tf.mul(tf.oneHot(labels, classes), 1 - settings.labelSmoothing), settings.labelSmoothing / classes);
      losses = tfl.metrics.categoricalCrossentropy(target, tf.clipByValue(yPred, EPSILON, 1 - EPSILON));
    } else {
      losses = compiled(yTrue, yPred);
    }
    return settings.classWeights ? tf.mul(losses, tf.gather(tf.tensor1d(settings.classWeights), labels)) : losses;
  });
}

/**
 * The weight of each class in the training loss: `balanced` as scikit-learn's
 * compute_class_weight (n / (classes x count of the class) over the training labels;
 * a class with no training example keeps 1, which weighs nothing), or the list given.
 */
export function classWeightValues(setting: ClassWeights | undefined, labels: Int32Array, classes: number): Float32Array | undefined {
  if (setting == null) return undefined;
  if (setting !== 'balanced') {
    // A folder's or CSV's classes are known only once read; rules check the rest before training.
    if (setting.length !== classes) {
      throw new UsageError('E_CLASS_WEIGHTS', `train.classWeights: ${setting.length} class weight${setting.length === 1 ? '' : 's'} for ${classes} classes; expected one per class, in label order`,
        'give one weight per class, or classWeights: balanced');
    }
    return Float32Array.from(setting);
  }
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]!++;
  return Float32Array.from(counts, (count) => (count === 0 ? 1 : labels.length / (classes * count)));
}
