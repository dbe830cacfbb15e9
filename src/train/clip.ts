import * as tf from '@tensorflow/tfjs-core';

/** The global norm of a set of gradients: the L2 norm of all of them as one vector. */
export function globalNorm(grads: tf.NamedTensorMap): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * Gradients scaled by maxNorm / max(norm, maxNorm), so their global norm is at most
 * maxNorm (tf.clip_by_global_norm, Keras' global_clipnorm). Disposes `grads`.
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  if (Object.keys(grads).length === 0) return grads;
  const clipped = tf.tidy(() => {
    const scale = tf.div(maxNorm, tf.maximum(globalNorm(grads), maxNorm));
    return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
  });
  tf.dispose(Object.values(grads));
  return clipped;
}
