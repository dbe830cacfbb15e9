import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedOptimizer } from '../../config/resolved.js';
import { type UpdateRule, withL2 } from './rule-optimizer.js';

type Rmsprop = Extract<ResolvedOptimizer, { name: 'rmsprop' }>;

/** torch.optim.RMSprop: epsilon outside the square root, the learning rate outside the momentum buffer. */
export const RMSPROP: UpdateRule<Rmsprop> = {
  slots: ({ momentum, centered }) => ({ meanSquare: 0, ...(centered ? { mean: 0 } : {}), ...(momentum > 0 ? { velocity: 0 } : {}) }),
  step: ({ settings: { rho, momentum, centered, epsilon, weightDecay }, learningRate, weight, gradient, slots }) => {
    const g = withL2(gradient, weight, weightDecay);
    const meanSquare = tf.add(tf.mul(slots.meanSquare!, rho), tf.mul(tf.square(g), 1 - rho));
    const mean = centered ? tf.add(tf.mul(slots.mean!, rho), tf.mul(g, 1 - rho)) : undefined;
    // The variance estimate is >= 0 in exact arithmetic; rounding must not make its root NaN.
    const spread = mean ? tf.relu(tf.sub(meanSquare, tf.square(mean))) : meanSquare;
    const scaled = tf.div(g, tf.add(tf.sqrt(spread), epsilon));
    const velocity = momentum > 0 ? tf.add(tf.mul(slots.velocity!, momentum), scaled) : undefined;
    return {
      weight: tf.sub(weight, tf.mul(velocity ?? scaled, learningRate)),
      slots: { meanSquare, ...(mean ? { mean } : {}), ...(velocity ? { velocity } : {}) },
    };
  },
};
