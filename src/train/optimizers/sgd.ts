import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedOptimizer } from '../../config/resolved.js';
import { type UpdateRule, withL2 } from './rule-optimizer.js';

type Sgd = Extract<ResolvedOptimizer, { name: 'sgd' }>;

/** torch.optim.SGD with dampening 0: the velocity starts at the first gradient. */
export const SGD: UpdateRule<Sgd> = {
  slots: ({ momentum }) => (momentum === 0 ? {} : { velocity: 0 }),
  step: ({ settings: { momentum, nesterov, weightDecay }, learningRate, weight, gradient, slots }) => {
    const g = withL2(gradient, weight, weightDecay);
    if (momentum === 0) return { weight: tf.sub(weight, tf.mul(g, learningRate)), slots: {} };
    // v = m v + g; from a zero start the first step's v is g, as PyTorch's clone.
    const velocity = tf.add(tf.mul(slots.velocity!, momentum), g);
    const direction = nesterov ? tf.add(g, tf.mul(velocity, momentum)) : velocity;
    return { weight: tf.sub(weight, tf.mul(direction, learningRate)), slots: { velocity } };
  },
  fused: ({ momentum, nesterov, weightDecay }) => ({ kind: 'sgd', momentum, nesterov, weightDecay }),
};
