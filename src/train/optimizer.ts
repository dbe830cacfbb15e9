import type * as tf from '@tensorflow/tfjs-core';
import { resolveOptimizer } from '../config/optimizer-settings.js';
import type { OptimizerName, ResolvedOptimizer, ResolvedTrain, WrittenOptimizer } from '../config/resolved.js';
import { ADADELTA } from './optimizers/adadelta.js';
import { ADAGRAD } from './optimizers/adagrad.js';
import { ADAM } from './optimizers/adam.js';
import { RMSPROP } from './optimizers/rmsprop.js';
import type { WeightTreatments } from './optimizers/per-weight.js';
import { RuleOptimizer, type UpdateRule } from './optimizers/rule-optimizer.js';
import { SGD } from './optimizers/sgd.js';

const RULES = {
  adam: ADAM,
  adamw: ADAM,
  sgd: SGD,
  rmsprop: RMSPROP,
  adadelta: ADADELTA,
  adagrad: ADAGRAD,
} as const satisfies { [N in OptimizerName]: UpdateRule<Extract<ResolvedOptimizer, { name: N }>> };

/**
 * The optimizer a training block asks for: tlx's own update rules, which match
 * PyTorch's (optimizers/). A block built by hand may name it (`optimizer: 'adam'`).
 * `treatments`: per-weight learning-rate factors and L2 pulls (transfer-treatments.ts).
 */
export function makeOptimizer(
  train: Pick<ResolvedTrain, 'learningRate'> & { readonly optimizer: WrittenOptimizer }, treatments?: WeightTreatments,
): tf.Optimizer {
  const optimizer = resolveOptimizer(train.optimizer);
  return new RuleOptimizer(RULES[optimizer.name] as UpdateRule<ResolvedOptimizer>, optimizer, train.learningRate, treatments);
}

/** The learning rate an optimizer steps with, set before each step (tfjs-core's SGD caches it: setLearningRate). */
interface LearningRateSetting {
  learningRate: number;
  setLearningRate?(rate: number): void;
}

/** Sets the rate the next step uses (schedules, the learning-rate range test). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as unknown as LearningRateSetting;
  if (o.learningRate === rate) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}
