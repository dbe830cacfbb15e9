import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedOptimizer } from '../../config/resolved.js';
import { type UpdateRule, withL2 } from './rule-optimizer.js';

type Adadelta = Extract<ResolvedOptimizer, { name: 'adadelta' }>;

/**
 * torch.optim.Adadelta (Zeiler, 2012): the step divides by the running mean of g²
 * *including* this step's gradient. tfjs-core 4.22 divides by the mean from before
 * the step, so its first step is the raw gradient (sqrt(eps) / sqrt(eps) = 1).
 */
export const ADADELTA: UpdateRule<Adadelta> = {
  slots: () => ({ meanSquare: 0, meanStep: 0 }),
  step: ({ settings: { rho, epsilon, weightDecay }, learningRate, weight, gradient, slots }) => {
    const g = withL2(gradient, weight, weightDecay);
    const meanSquare = tf.add(tf.mul(slots.meanSquare!, rho), tf.mul(tf.square(g), 1 - rho));
    const delta = tf.mul(tf.div(tf.sqrt(tf.add(slots.meanStep!, epsilon)), tf.sqrt(tf.add(meanSquare, epsilon))), g);
    const meanStep = tf.add(tf.mul(slots.meanStep!, rho), tf.mul(tf.square(delta), 1 - rho));
    return { weight: tf.sub(weight, tf.mul(delta, learningRate)), slots: { meanSquare, meanStep } };
  },
};
