import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Metric, ResolvedTrain } from '../config/resolved.js';
import { range } from '../data/range.js';
import { microBatchSize } from '../engine/memory-budget.js';
import { shuffleInPlace } from '../random.js';
import { BestWeights } from './best-weights.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { InternalError } from '../errors.js';
import { seededMathRandom } from '../random.js';
import { type Inputs, labelBatch } from './inputs.js';
import { accuracy, computeMetrics, confusionMatrix, type MetricValues } from './metrics.js';
import { accumulatedStep, isPlainStep, stepSettings } from './micro-batch.js';
import { makeOptimizer, setLearningRate } from './optimizer.js';
import type { WeightTreatments } from './optimizers/per-weight.js';
import { argmaxRows, confidentMistakes, crossEntropy, type Mistake, predictProbabilities } from './predict.js';

/** Misclassified test examples a result keeps for the report. */
const MISTAKES_KEPT = 5;
import { learningRateAt, type PhaseSteps } from './schedule.js';
import { validationSteps } from './validation-points.js';

/** One point of a learning curve: the validation set scored after a step (train.validateEvery). */
export interface CurvePoint {
  /** Epochs since training began: examples seen / training examples (0.25 a quarter into the first). */
  readonly epoch: number;
  /** 1, or 2 for a fine-tuning phase after unfreezing. */
  readonly phase: number;
  /** The stage of gradual unfreezing in phase 2 (groups unfrozen so far), when it is gradual. */
  readonly stage?: number;
  /** Mean training loss over the steps since the previous point (as each step minimised it: smoothed, weighted). */
  readonly loss: number;
  readonly valLoss: number;
  readonly val: MetricValues;
  /** Optimizer steps, examples seen and wall seconds since training began. */
  readonly steps: number;
  readonly examples: number;
  readonly seconds: number;
  /** The learning rate the last step before this point took (train.schedule). */
  readonly learningRate: number;
}

export interface FitResult {
  readonly curve: readonly CurvePoint[];
  readonly status: 'ok' | 'diverged';
  readonly stoppedEarly: boolean;
  /** Where the weights tested come from when earlyStopping.restoreBest set them back to an earlier point. */
  readonly restored?: { readonly epoch: number; readonly steps: number };
  readonly test: MetricValues;
  readonly confusion: number[][];
  /** The test examples it got most confidently wrong (indices into the test set). */
  readonly mistakes: readonly Mistake[];
  readonly seconds: number;
  /** Examples per step when a batch did not fit the backend's memory and was split (micro-batch.ts). */
  readonly microBatch?: number;
}

/** A training block; one built by hand may leave out the newer keys, each then off (constant rate, a point per epoch). */
export type FitTrain = Omit<ResolvedTrain, 'schedule' | 'validateEvery' | 'labelSmoothing'> & Partial<Pick<ResolvedTrain, 'schedule' | 'validateEvery' | 'labelSmoothing'>>;

export interface FitOptions {
  readonly train: FitTrain;
  /** Continue a curve (a later phase): its last point, and this phase's number. */
  readonly after?: CurvePoint;
  readonly phase?: number;
  readonly metrics: readonly Metric[];
  readonly onEpoch?: (point: CurvePoint) => void;
  /** Per-weight learning-rate factors and L2 pulls (transfer-treatments.ts). */
  readonly treatments?: WeightTreatments;
  /** Train only up to an epoch (an ASHA rung) of the train.epochs the schedule spans, continuing a checkpoint and leaving one. */
  readonly rung?: RungOptions;
}

export interface RungOptions {
  /** The last epoch to train now. */
  readonly until: number;
  /** A checkpoint (checkpoint.ts) to continue from: the same training, stopped at an earlier rung. */
  readonly resumeFrom?: string;
  /** Where to leave a checkpoint when training stops at `until` (before train.epochs) to be continued. */
  readonly saveTo?: string;
}


/**
 * Compiles and trains a model batch by batch, evaluating the validation set at the
 * points train.validateEvery asks for (so curves have every metric, not only what
 * Keras logs), with a learning-rate schedule, early stopping (restoring the best
 * point's weights when asked) and divergence detection, then scores the test set.
 */
export async function fit(
  model: tfl.LayersModel,
  data: { readonly train: Inputs; readonly validation: Inputs; readonly test: Inputs },
  options: FitOptions,
): Promise<FitResult> {
  const { train, metrics } = options;
  const classes = data.train.classes;
  const optimizer = makeOptimizer(train, options.treatments);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  const n = data.train.count;
  const order = range(0, n);
  let start = performance.now() - (options.after?.seconds ?? 0) * 1000;
  const [epoch0, steps0, examples0] = [options.after?.epoch ?? 0, options.after?.steps ?? 0, options.after?.examples ?? 0];
  const phase: PhaseSteps = { perEpoch: Math.ceil(n / train.batchSize), total: train.epochs * Math.ceil(n / train.batchSize) };
  const points = validationSteps(train.validateEvery ?? { epochs: 1 }, phase);
  const rateAt = (t: number) => (train.schedule ? learningRateAt(train.schedule, train.learningRate, t, phase) : train.learningRate);
  const step = stepSettings(train, data.train.labels, classes);
  const micro = microBatchSize(model, train.batchSize, tf.getBackend());
  // A batch that fits, trained plainly, is trained as tfjs trains it; others by accumulatedStep.
  const ownStep = !isPlainStep(step);
  const curve: CurvePoint[] = [];
  const stopping = train.earlyStopping;
  const monitor = stopping?.monitor ?? 'val_accuracy';
  const best = new BestWeights();
  let [bestScore, bestPoint, sinceBest] = [-Infinity, undefined as CurvePoint | undefined, 0];
  let status: FitResult['status'] = 'ok';
  let stoppedEarly = false;
  let [t, seen, lossSum, lossCount, rate] = [0, 0, 0, 0, train.learningRate];
  let [firstEpoch, lastEpoch] = [1, Math.min(train.epochs, options.rung?.until ?? train.epochs)];
  const random = options.rung ? seededMathRandom() ?? internal('a rung of training needs the seeded Math.random of a task') : undefined;
  if (options.rung?.resumeFrom != null) {
    const saved = loadCheckpoint(options.rung.resumeFrom, model, optimizer);
    const s = saved.state;
    curve.push(...s.curve);
    [t, seen, lossSum, lossCount, firstEpoch] = [s.steps, s.seen, s.lossSum, s.lossCount, s.epoch + 1];
    [bestScore, bestPoint, sinceBest] = [Number.isFinite(s.bestScore) ? s.bestScore : -Infinity, s.bestPoint < 0 ? undefined : curve[s.bestPoint], s.sinceBest];
    order.set(s.order);
    if (saved.best) best.adopt(saved.best);
    start = performance.now() - s.seconds * 1000;
    random!.state = s.random;
  }
  try {
    training: for (let epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
      // A fresh order each epoch (Math.random, which the task has seeded).
      shuffleInPlace(order, Math.random);
      for (let first = 0; first < n; first += train.batchSize) {
        const indices = order.subarray(first, Math.min(first + train.batchSize, n));
        rate = rateAt(t);
        setLearningRate(optimizer, rate);
        const x = data.train.batch(indices, true);
        const y = labelBatch(data.train, indices);
        try {
          const loss = indices.length > micro || ownStep ? await accumulatedStep(model, x, y, Math.min(micro, indices.length), step) : await model.trainOnBatch(x, y);
          lossSum += (Array.isArray(loss) ? loss[0]! : loss) * indices.length;
        } finally {
          tf.dispose([x, y]);
        }
        [t, seen, lossCount] = [t + 1, seen + indices.length, lossCount + indices.length];
        // trainOnBatch settles without returning to the event loop; let it run, so a
        // worker hears that its runner is gone (and exits) within a batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!points.has(t)) continue;
        const probs = await predictProbabilities(model, data.validation);
        const valLoss = crossEntropy(probs, data.validation.labels, classes);
        const valPredicted = argmaxRows(probs, classes);
        const loss = lossSum / Math.max(lossCount, 1);
        const point: CurvePoint = {
          epoch: epoch0 + seen / n,
          phase: options.phase ?? 1,
          loss,
          valLoss,
          val: computeMetrics(metrics, data.validation.labels, valPredicted, classes),
          steps: steps0 + t,
          examples: examples0 + seen,
          seconds: (performance.now() - start) / 1000,
          learningRate: rate,
        };
        [lossSum, lossCount] = [0, 0];
        curve.push(point);
        options.onEpoch?.(point);
        // A NaN validation loss with a finite training loss: weights NaN only where
        // inference reads them (batch-norm statistics, a frozen prefix). Not a result either.
        if (!Number.isFinite(loss) || !Number.isFinite(valLoss)) {
          status = 'diverged';
          break training;
        }
        const score = monitor === 'val_loss' ? -valLoss : accuracy(confusionMatrix(data.validation.labels, valPredicted, classes));
        if (score > bestScore) {
          [bestScore, bestPoint, sinceBest] = [score, point, 0];
          if (stopping?.restoreBest === true) best.keep(model);
        } else if (stopping && ++sinceBest >= (stopping.patience ?? 3)) {
          stoppedEarly = t < phase.total;
          break training;
        }
      }
    }
    // Left to be continued: saved before restoreBest changes the weights.
    if (options.rung?.saveTo != null && status === 'ok' && !stoppedEarly && lastEpoch < train.epochs) {
      await saveCheckpoint(options.rung.saveTo, model, optimizer, {
        epoch: lastEpoch, steps: t, seen, lossSum, lossCount, bestScore, bestPoint: bestPoint == null ? -1 : curve.indexOf(bestPoint), sinceBest,
        curve, order: Array.from(order), random: random!.state, seconds: (performance.now() - start) / 1000, hasBest: best.weights != null,
      }, best.weights);
    }
    // The best point's weights, unless training ended there (or diverged: no result to restore).
    const restore = status === 'ok' && bestPoint != null && bestPoint !== curve[curve.length - 1] && best.restore(model);
    const testProbs = await predictProbabilities(model, data.test);
    const predicted = argmaxRows(testProbs, classes);
    return {
      curve,
      status,
      stoppedEarly,
      ...(restore ? { restored: { epoch: bestPoint!.epoch, steps: bestPoint!.steps } } : {}),
      test: computeMetrics(metrics, data.test.labels, predicted, classes),
      confusion: confusionMatrix(data.test.labels, predicted, classes),
      mistakes: confidentMistakes(testProbs, data.test.labels, predicted, classes, MISTAKES_KEPT),
      seconds: (performance.now() - start) / 1000,
      ...(micro < Math.min(train.batchSize, n) ? { microBatch: micro } : {}),
    };
  } finally {
    best.release();
  }
}

/** Sets the learning rate of the next step: tlx's optimizers and tfjs-core's read `learningRate`; SGD's caches it. */

function internal(message: string): never {
  throw new InternalError(message);
}
