import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedOptimizer } from '../../config/resolved.js';
import { type UpdateRule, withL2 } from './rule-optimizer.js';

type Adam = Extract<ResolvedOptimizer, { name: 'adam' | 'adamw' }>;

/**
 * torch.optim.Adam and AdamW: bias-corrected moments, epsilon added to the square
 * root of the corrected second moment; adamw decays the weight itself first
 * (w = w (1 - lr wd)), adam adds the L2 gradient.
 */
export const ADAM: UpdateRule<Adam> = {
  slots: ({ amsgrad }) => (amsgrad ? { m: 0, v: 0, vMax: 0 } : { m: 0, v: 0 }),
  step: ({ settings: { name, beta1, beta2, epsilon, weightDecay, amsgrad }, learningRate, t, weight, gradient, slots }) => {
    const decoupled = name === 'adamw';
    const w = decoupled && weightDecay !== 0 ? tf.mul(weight, 1 - learningRate * weightDecay) : weight;
    const g = decoupled ? gradient : withL2(gradient, weight, weightDecay);
    const m = tf.add(tf.mul(slots.m!, beta1), tf.mul(g, 1 - beta1));
    const v = tf.add(tf.mul(slots.v!, beta2), tf.mul(tf.square(g), 1 - beta2));
    const vMax = amsgrad ? tf.maximum(slots.vMax!, v) : undefined;
    const corrected1 = 1 - beta1 ** t;
    const corrected2 = Math.sqrt(1 - beta2 ** t);
    const denominator = tf.add(tf.div(tf.sqrt(vMax ?? v), corrected2), epsilon);
    const next = tf.sub(w, tf.mul(tf.div(m, denominator), learningRate / corrected1));
    return { weight: next, slots: vMax ? { m, v, vMax } : { m, v } };
  },
};
