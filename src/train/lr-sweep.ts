import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResolvedTrain } from '../config/resolved.js';
import { range } from '../data/range.js';
import { microBatchSize } from '../engine/memory-budget.js';
import { shuffleInPlace } from '../random.js';
import { type Inputs, labelBatch } from './inputs.js';
import { accumulatedStep, isPlainStep, stepSettings } from './micro-batch.js';
import { makeOptimizer, setLearningRate } from './optimizer.js';
import type { WeightTreatments } from './optimizers/per-weight.js';

export interface SweepOptions {
  /** The first and last learning rate; the rates between grow exponentially. */
  readonly min: number;
  readonly max: number;
  readonly steps: number;
  /** The optimizer, its parameters and the batch size. */
  readonly train: Pick<ResolvedTrain, 'optimizer' | 'batchSize' | 'labelSmoothing' | 'classWeights' | 'clipNorm'>;
  readonly treatments?: WeightTreatments;
}

export interface SweepPoint {
  readonly step: number;
  readonly learningRate: number;
  /** The batch's training loss before this step's update, and its running average (smoothingFor, bias-corrected as fastai's). */
  readonly loss: number;
  readonly smoothed: number;
}

export interface Suggestion {
  readonly learningRate: number;
  /** steepest: where the smoothed loss falls fastest against log(learning rate), before its minimum; min/10: a tenth of the minimum's. */
  readonly rule: 'steepest' | 'min/10';
}

export interface LrSweep {
  readonly points: readonly SweepPoint[];
  /** Why the sweep ended before its last step, if it did. */
  readonly stopped?: string;
  readonly minimum: SweepPoint;
  readonly suggestion: Suggestion;
  /** The other rule's value, for comparison. */
  readonly alternative?: Suggestion;
}

const DIVERGED = 4;

/**
 * The running mean's factor: a memory of about a tenth of the sweep (0.9 at 100
 * steps). fastai's fixed 0.98 remembers ~49 batches, half a 100-step sweep, so its
 * smoothed curve trails the losses by four decades of a 1e-7..10 sweep.
 */
export function smoothingFor(steps: number): number {
  return Math.min(0.98, Math.max(0.5, 1 - 10 / steps));
}

/** The learning rate at step i of n from min to max, exponentially. */
export function sweepRate(min: number, max: number, i: number, n: number): number {
  return n <= 1 ? min : min * (max / min) ** (i / (n - 1));
}

/**
 * The learning-rate range test (Smith 2017, as fastai runs it): one optimizer step
 * per batch at an exponentially growing learning rate, the loss smoothed (smoothingFor), stopped
 * once the smoothed loss passes 4x the best seen (or is not finite). The model's
 * weights change: sweep a copy built for it. Batches are drawn in a fresh order
 * each pass over the data (Math.random, which the caller seeds).
 */
export async function lrSweep(model: tfl.LayersModel, inputs: Inputs, options: SweepOptions): Promise<LrSweep> {
  const optimizer = makeOptimizer({ optimizer: options.train.optimizer, learningRate: options.min }, options.treatments);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  const batchSize = Math.min(options.train.batchSize, inputs.count);
  const micro = microBatchSize(model, batchSize, tf.getBackend());
  const order = range(0, inputs.count);
  const points: SweepPoint[] = [];
  let [average, best, at] = [0, Infinity, order.length];
  let stopped: string | undefined;
  const smoothing = smoothingFor(options.steps);
  // Label smoothing, class weights and clipping as the trials train.
  const settings = stepSettings(options.train, inputs.labels, inputs.classes);
  for (let step = 0; step < options.steps; step++) {
    if (at + batchSize > order.length) {
      shuffleInPlace(order, Math.random);
      at = 0;
    }
    const indices = order.subarray(at, at + batchSize);
    at += batchSize;
    const learningRate = sweepRate(options.min, options.max, step, options.steps);
    setLearningRate(optimizer, learningRate);
    const x = inputs.batch(indices, true);
    const y = labelBatch(inputs, indices);
    let loss: number;
    try {
      const value = indices.length > micro || !isPlainStep(settings) ? await accumulatedStep(model, x, y, micro, settings) : await model.trainOnBatch(x, y);
      loss = Array.isArray(value) ? value[0]! : value;
    } finally {
      tf.dispose([x, y]);
    }
    average = smoothing * average + (1 - smoothing) * loss;
    const smoothed = average / (1 - smoothing ** (step + 1));
    points.push({ step: step + 1, learningRate, loss, smoothed });
    if (!Number.isFinite(smoothed)) {
      stopped = `the loss is ${loss} at learning rate ${learningRate.toPrecision(3)}`;
      break;
    }
    best = Math.min(best, smoothed);
    if (smoothed > DIVERGED * best) {
      stopped = `the smoothed loss passed ${DIVERGED}x its best at learning rate ${learningRate.toPrecision(3)}`;
      break;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  optimizer.dispose();
  return { points, ...(stopped ? { stopped } : {}), ...suggest(points) };
}

/**
 * The suggested learning rate: where the smoothed loss falls fastest against
 * log(learning rate) before its minimum (fastai's `steep`), the slope taken over
 * a window of 5% of the points either side and the first 10% skipped (fastai
 * skips 10 of 100: the running mean has seen too few batches there); or, when
 * the loss never falls, a tenth of the rate at the minimum. Both are reported
 * when both exist.
 */
export function suggest(points: readonly SweepPoint[]): Pick<LrSweep, 'minimum' | 'suggestion' | 'alternative'> {
  const finite = points.filter((p) => Number.isFinite(p.smoothed));
  if (finite.length === 0) throw new Error('no finite loss to suggest a learning rate from');
  const lowest = finite.reduce((a, b) => (b.smoothed < a.smoothed ? b : a));
  const end = finite.indexOf(lowest);
  const tenth: Suggestion = { learningRate: lowest.learningRate / 10, rule: 'min/10' };
  const window = Math.max(1, Math.round(points.length / 20));
  let steepest: Suggestion | undefined;
  let slope = 0;
  for (let i = Math.floor(points.length / 10); i <= end; i++) {
    const [a, b] = [finite[Math.max(0, i - window)]!, finite[Math.min(end, i + window)]!];
    if (a === b) continue;
    const s = (b.smoothed - a.smoothed) / (Math.log(b.learningRate) - Math.log(a.learningRate));
    if (s < slope) {
      slope = s;
      steepest = { learningRate: finite[i]!.learningRate, rule: 'steepest' };
    }
  }
  return steepest ? { minimum: lowest, suggestion: steepest, alternative: tenth } : { minimum: lowest, suggestion: tenth };
}
