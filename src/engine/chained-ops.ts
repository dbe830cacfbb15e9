import * as tf from '@tensorflow/tfjs-core';

// tfjs-core's Node build does not attach the chained Tensor methods (x.flatten(),
// x.reshape(...)) that the full @tensorflow/tfjs package registers, but parts of
// tfjs-layers still call them: its Orthogonal initializer (the default recurrent
// kernel of Keras' GRU and LSTM) fails with "rMat.flatten is not a function", so
// such a model could not even be built, or loaded, by tlx. The methods that code
// calls are attached here, each the op of the same name, where they are missing.

type Chained = Record<string, (this: tf.Tensor, ...args: never[]) => tf.Tensor>;

const METHODS: Chained = {
  flatten(this: tf.Tensor) { return tf.reshape(this, [this.size]); },
  reshape(this: tf.Tensor, shape: number[]) { return tf.reshape(this, shape); },
  transpose(this: tf.Tensor, perm?: number[]) { return tf.transpose(this, perm); },
  sign(this: tf.Tensor) { return tf.sign(this); },
  stridedSlice(this: tf.Tensor, begin: number[], end: number[], strides: number[]) { return tf.stridedSlice(this, begin, end, strides); },
};

/** Attaches the chained methods tfjs-layers calls where tfjs-core left them out; idempotent. */
export function attachChainedOps(): void {
  const prototype = tf.Tensor.prototype as unknown as Record<string, unknown>;
  for (const [name, method] of Object.entries(METHODS)) {
    if (typeof prototype[name] !== 'function') prototype[name] = method;
  }
}

attachChainedOps();
