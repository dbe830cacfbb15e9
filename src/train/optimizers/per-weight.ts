import * as tf from '@tensorflow/tfjs-core';

/**
 * What transfer learning sets for one weight beyond its update rule's settings:
 * a factor on the learning rate (discriminative learning rates) and an L2 pull
 * toward a point (L2-SP: the pretrained weights; a new head's: zero).
 */
export interface WeightTreatment {
  readonly learningRateScale?: number;
  /** strength × (w − toward) is added to the gradient: the gradient of strength/2 ||w − toward||². */
  readonly pull?: { readonly strength: number; readonly toward?: tf.Tensor };
}

/** Treatments by variable name (the names gradients carry into applyGradients). */
export type WeightTreatments = ReadonlyMap<string, WeightTreatment>;

/** A gradient with a weight's L2 pull added (none: the gradient itself). */
export function pulledGradient(gradient: tf.Tensor, weight: tf.Tensor, pull: WeightTreatment['pull']): tf.Tensor {
  if (pull == null || pull.strength === 0) return gradient;
  const offset = pull.toward ? tf.sub(weight, pull.toward) : weight;
  return tf.add(gradient, tf.mul(offset, pull.strength));
}
