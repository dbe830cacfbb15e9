import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

// A batch whose activations would not fit the backend's memory is trained as
// micro-batches: the gradients of each are summed (each weighted by its share of
// the batch) and the optimizer takes one step, as it would on the whole batch.
// The loss and gradients are those of the whole batch up to float rounding, except
// where a layer looks at the batch as a whole: batch normalisation in training
// mode normalises each micro-batch by its own statistics ("ghost" batch norm).

/**
 * Bytes of memory a step may use for activations, per backend: the wasm backend's
 * memory ends at 4 GiB (wasm32), and weights, optimizer state and the batch's
 * inputs need room beside them. The other backends have no such wall.
 */
const STEP_BYTES: Record<string, number> = { wasm: 3.5 * 2 ** 30 };

/** Training keeps each layer's output for the backward pass and makes its gradient: about 2.5 times the outputs (measured on MobileNetV2). */
const TRAINING_FACTOR = 2.5;

/** Bytes of layer outputs one example makes in a forward pass. */
export function activationBytes(model: tfl.LayersModel): number {
  let floats = 0;
  for (const layer of model.layers) {
    const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
    for (const shape of shapes) floats += shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  }
  return floats * 4;
}

/** The most examples one step may hold on `backend`; the batch size when it fits. */
export function microBatchSize(model: tfl.LayersModel, batchSize: number, backend: string): number {
  const limit = STEP_BYTES[backend];
  if (limit == null) return batchSize;
  const fits = Math.max(1, Math.floor(limit / (TRAINING_FACTOR * activationBytes(model))));
  return Math.min(batchSize, fits);
}

interface CompiledModel {
  readonly optimizer: tf.Optimizer;
  readonly lossFunctions: ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)[];
  readonly collectedTrainableWeights?: { read(): tf.Variable }[];
  readonly trainableWeights: { read(): tf.Variable }[];
  calculateLosses(): tf.Scalar[];
}

/**
 * One optimizer step on a batch taken `micro` examples at a time (the model
 * compiled with one loss). Returns the batch's mean loss, regularisation included,
 * as trainOnBatch does.
 */
export function accumulatedStep(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, micro: number): number {
  // A Sequential compiles the functional model it wraps.
  const compiled = ((model as unknown as { model?: CompiledModel }).model ?? model) as unknown as CompiledModel;
  const lossFn = compiled.lossFunctions[0]!;
  const variables = (compiled.collectedTrainableWeights ?? compiled.trainableWeights).map((w) => w.read());
  const n = x.shape[0]!;
  const sums: tf.NamedTensorMap = {};
  let total = 0;
  for (let start = 0; start < n; start += micro) {
    const size = Math.min(micro, n - start);
    const { value, grads } = tf.tidy(() => tf.variableGrads(() => {
      const xs = tf.slice(x, start, size);
      const ys = tf.slice(y, start, size);
      const predicted = model.apply(xs, { training: true }) as tf.Tensor;
      // This micro-batch's share of the batch's mean loss.
      let loss = tf.div(tf.sum(lossFn(ys, predicted)), n) as tf.Scalar;
      if (start === 0) for (const penalty of compiled.calculateLosses()) loss = tf.add(loss, penalty);
      return loss;
    }, variables));
    total += value.dataSync()[0]!;
    value.dispose();
    for (const [name, g] of Object.entries(grads)) {
      const before = sums[name];
      sums[name] = before ? tf.add(before, g) : g;
      if (before) {
        before.dispose();
        g.dispose();
      }
    }
  }
  compiled.optimizer.applyGradients(sums);
  tf.dispose(Object.values(sums));
  return total;
}
