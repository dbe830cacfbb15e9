import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Metric, ResolvedTrain } from '../config/resolved.js';
import { range } from '../data/batches.js';
import { type Inputs, labelBatch } from './inputs.js';
import { shuffleInPlace } from '../random.js';
import { accuracy, computeMetrics, confusionMatrix, type MetricValues } from './metrics.js';
import { microBatchSize } from '../engine/memory-budget.js';
import { accumulatedStep } from './micro-batch.js';
import { makeOptimizer } from './optimizer.js';
import type { WeightTreatments } from './optimizers/per-weight.js';
import { argmaxRows, crossEntropy, predictProbabilities } from './predict.js';

/** One point of a learning curve, after an epoch. */
export interface CurvePoint {
  readonly epoch: number;
  /** 1, or 2 for a fine-tuning phase after unfreezing. */
  readonly phase: number;
  /** The stage of gradual unfreezing in phase 2 (groups unfrozen so far), when it is gradual. */
  readonly stage?: number;
  readonly loss: number;
  readonly valLoss: number;
  readonly val: MetricValues;
  /** Optimizer steps, examples seen and wall seconds since training began. */
  readonly steps: number;
  readonly examples: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly curve: readonly CurvePoint[];
  readonly status: 'ok' | 'diverged';
  readonly stoppedEarly: boolean;
  readonly test: MetricValues;
  readonly confusion: number[][];
  readonly seconds: number;
  /** Examples per step when a batch did not fit the backend's memory and was split (micro-batch.ts). */
  readonly microBatch?: number;
}

export interface FitOptions {
  readonly train: ResolvedTrain;
  /** Continue a curve (a later phase): its last point, and this phase's number. */
  readonly after?: CurvePoint;
  readonly phase?: number;
  readonly metrics: readonly Metric[];
  readonly onEpoch?: (point: CurvePoint) => void;
  /** Per-weight learning-rate factors and L2 pulls (transfer-treatments.ts). */
  readonly treatments?: WeightTreatments;
}

/**
 * Compiles and trains a model epoch by epoch, evaluating the validation set after
 * each (so curves have every metric, not only what Keras logs), with early stopping
 * and divergence detection, then scores the test set.
 */
export async function fit(
  model: tfl.LayersModel,
  data: { readonly train: Inputs; readonly validation: Inputs; readonly test: Inputs },
  options: FitOptions,
): Promise<FitResult> {
  const { train, metrics } = options;
  const classes = data.train.classes;
  model.compile({ optimizer: makeOptimizer(train, options.treatments), loss: 'sparseCategoricalCrossentropy' });
  const n = data.train.count;
  const order = range(0, n);
  const start = performance.now() - (options.after?.seconds ?? 0) * 1000;
  const [epoch0, steps0, examples0] = [options.after?.epoch ?? 0, options.after?.steps ?? 0, options.after?.examples ?? 0];
  const curve: CurvePoint[] = [];
  const stopping = train.earlyStopping;
  const monitor = stopping?.monitor ?? 'val_accuracy';
  let best = -Infinity;
  let sinceBest = 0;
  let status: FitResult['status'] = 'ok';
  let stoppedEarly = false;
  const perEpochSteps = Math.ceil(n / train.batchSize);
  const micro = microBatchSize(model, train.batchSize, tf.getBackend());
  for (let epoch = 1; epoch <= train.epochs; epoch++) {
    const loss = await trainEpoch(model, data.train, order, options, micro);
    const probs = predictProbabilities(model, data.validation);
    const valLoss = crossEntropy(probs, data.validation.labels, classes);
    const valPredicted = argmaxRows(probs, classes);
    const point: CurvePoint = {
      epoch: epoch0 + epoch,
      phase: options.phase ?? 1,
      loss,
      valLoss,
      val: computeMetrics(metrics, data.validation.labels, valPredicted, classes),
      steps: steps0 + epoch * perEpochSteps,
      examples: examples0 + epoch * n,
      seconds: (performance.now() - start) / 1000,
    };
    curve.push(point);
    options.onEpoch?.(point);
    // A NaN validation loss with a finite training loss: weights NaN only where
    // inference reads them (batch-norm statistics, a frozen prefix). Not a result either.
    if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) {
      status = 'diverged';
      break;
    }
    const score = monitor === 'val_loss' ? -valLoss : accuracy(confusionMatrix(data.validation.labels, valPredicted, classes));
    if (score > best) {
      best = score;
      sinceBest = 0;
    } else if (stopping && ++sinceBest >= (stopping.patience ?? 3)) {
      stoppedEarly = epoch < train.epochs;
      break;
    }
  }
  const testProbs = predictProbabilities(model, data.test);
  const predicted = argmaxRows(testProbs, classes);
  return {
    curve,
    status,
    stoppedEarly,
    test: computeMetrics(metrics, data.test.labels, predicted, classes),
    confusion: confusionMatrix(data.test.labels, predicted, classes),
    seconds: (performance.now() - start) / 1000,
    ...(micro < Math.min(train.batchSize, n) ? { microBatch: micro } : {}),
  };
}

/**
 * One pass over the training set in a fresh order (Math.random, which the task has
 * seeded), one batch of inputs at a time. Returns the mean loss.
 */
async function trainEpoch(model: tfl.LayersModel, inputs: Inputs, order: Int32Array, options: FitOptions, micro: number): Promise<number> {
  const { batchSize } = options.train;
  shuffleInPlace(order, Math.random);
  let total = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const indices = order.subarray(start, Math.min(start + batchSize, order.length));
    const x = inputs.batch(indices, true);
    const y = labelBatch(inputs, indices);
    try {
      // A batch that fits is trained as tfjs trains it; one that does not, in micro-batches.
      const loss = indices.length > micro ? accumulatedStep(model, x, y, micro) : await model.trainOnBatch(x, y);
      total += (Array.isArray(loss) ? loss[0]! : loss) * indices.length;
    } finally {
      tf.dispose([x, y]);
    }
    // trainOnBatch settles without returning to the event loop; let it run, so a
    // worker hears that its runner is gone (and exits) within a batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return total / Math.max(order.length, 1);
}
