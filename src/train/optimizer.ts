import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedTrain } from '../config/resolved.js';

const OPTIMIZERS = {
  adam: (lr: number) => tf.train.adam(lr),
  sgd: (lr: number) => tf.train.sgd(lr),
  adadelta: (lr: number) => tf.train.adadelta(lr),
  rmsprop: (lr: number) => tf.train.rmsprop(lr),
} as const satisfies Record<ResolvedTrain['optimizer'], (lr: number) => tf.Optimizer>;

export function makeOptimizer(train: ResolvedTrain): tf.Optimizer {
  return OPTIMIZERS[train.optimizer](train.learningRate);
}
