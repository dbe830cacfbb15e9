import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedOptimizer } from '../../config/resolved.js';
import { type UpdateRule, withL2 } from './rule-optimizer.js';

type Adagrad = Extract<ResolvedOptimizer, { name: 'adagrad' }>;

/** torch.optim.Adagrad without learning-rate decay: epsilon outside the square root of the sum. */
export const ADAGRAD: UpdateRule<Adagrad> = {
  slots: ({ initialAccumulator }) => ({ sum: initialAccumulator }),
  step: ({ settings: { epsilon, weightDecay }, learningRate, weight, gradient, slots }) => {
    const g = withL2(gradient, weight, weightDecay);
    const sum = tf.add(slots.sum!, tf.square(g));
    return { weight: tf.sub(weight, tf.mul(tf.div(g, tf.add(tf.sqrt(sum), epsilon)), learningRate)), slots: { sum } };
  },
};
