import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { clipByGlobalNorm } from './clip.js';
import type { ResolvedTrain } from '../config/resolved.js';
import { classWeightValues, exampleLosses, type LossSettings } from './loss.js';

// A batch whose activations would not fit the backend's memory is trained as
// micro-batches: the gradients of each are summed (each weighted by its share of
// the batch) and the optimizer takes one step, as it would on the whole batch.
// The loss and gradients are those of the whole batch up to float rounding, except
// where a layer looks at the batch as a whole: batch normalisation in training
// mode normalises each micro-batch by its own statistics ("ghost" batch norm).
// Label smoothing and class weights shape each example's loss, so they split with
// the batch; clipping needs the whole batch's gradient, so it follows the sum.

interface CompiledModel {
  readonly optimizer: tf.Optimizer;
  readonly lossFunctions: ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor)[];
  readonly collectedTrainableWeights?: { read(): tf.Variable }[];
  readonly trainableWeights: { read(): tf.Variable }[];
  calculateLosses(): tf.Scalar[];
}

/** How a step computes its loss and treats its gradient (train.labelSmoothing, classWeights, clipNorm). */
export interface StepSettings extends LossSettings {
  /** Clip the batch's gradient to this global norm; absent: no clipping. */
  readonly clipNorm?: number;
}

const PLAIN: StepSettings = { labelSmoothing: 0 };

/** A training block's step settings, class weights resolved over the training labels (a block built by hand may lack them). */
export function stepSettings(
  train: Partial<Pick<ResolvedTrain, 'labelSmoothing' | 'classWeights' | 'clipNorm'>>, labels: Int32Array, classes: number,
): StepSettings {
  return {
    labelSmoothing: train.labelSmoothing ?? 0,
    ...(train.classWeights != null ? { classWeights: classWeightValues(train.classWeights, labels, classes)! } : {}),
    ...(train.clipNorm != null ? { clipNorm: train.clipNorm } : {}),
  };
}

/** Whether a step needs more than the compiled loss and the raw gradient (so trainOnBatch will not do). */
export function isPlainStep(step: StepSettings): boolean {
  return step.labelSmoothing === 0 && step.classWeights == null && step.clipNorm == null;
}

/**
 * One optimizer step on a batch taken `micro` examples at a time (the model
 * compiled with one loss; `micro` may be the whole batch). Returns the batch's mean
 * loss, regularisation included, as trainOnBatch does: with class weights, the mean
 * of the weighted losses over the batch's examples.
 */
export async function accumulatedStep(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor, micro: number, step: StepSettings = PLAIN): Promise<number> {
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
      let loss = tf.div(tf.sum(exampleLosses(lossFn, ys, predicted, step)), n) as tf.Scalar;
      if (start === 0) for (const penalty of compiled.calculateLosses()) loss = tf.add(loss, penalty);
      return loss;
    }, variables));
    total += (await value.data())[0]!;
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
  const applied = step.clipNorm == null ? sums : clipByGlobalNorm(sums, step.clipNorm);
  compiled.optimizer.applyGradients(applied);
  tf.dispose(Object.values(applied));
  return total;
}
