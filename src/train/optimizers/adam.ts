import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedOptimizer } from '../../config/resolved.js';
import { adamFactors } from '../../engine/kernels/optimizer-step.js';
import { type UpdateRule, withL2 } from './rule-optimizer.js';

type Adam = Extract<ResolvedOptimizer, { name: 'adam' | 'adamw' }>;

/**
 * torch.optim.Adam and AdamW: bias-corrected moments, epsilon added to the square
 * root of the corrected second moment; adamw decays the weight itself first
 * (w = w (1 - lr wd)), adam adds the L2 gradient. The scalars come from
 * adamFactors, which the fused kernel uses too.
 */
export const ADAM: UpdateRule<Adam> = {
  slots: ({ amsgrad }) => (amsgrad ? { m: 0, v: 0, vMax: 0 } : { m: 0, v: 0 }),
  step: ({ settings, learningRate, t, weight, gradient, slots }) => {
    const { name, beta1, beta2, epsilon, weightDecay, amsgrad } = settings;
    const f = adamFactors(settings, learningRate, t);
    const decoupled = name === 'adamw';
    const w = decoupled && weightDecay !== 0 ? tf.mul(weight, f.decay) : weight;
    const g = decoupled ? gradient : withL2(gradient, weight, weightDecay);
    const m = tf.add(tf.mul(slots.m!, beta1), tf.mul(g, f.oneMinusBeta1));
    const v = tf.add(tf.mul(slots.v!, beta2), tf.mul(tf.square(g), f.oneMinusBeta2));
    const vMax = amsgrad ? tf.maximum(slots.vMax!, v) : undefined;
    const denominator = tf.add(tf.div(tf.sqrt(vMax ?? v), f.corrected2), epsilon);
    const next = tf.sub(w, tf.mul(tf.div(m, denominator), f.stepSize));
    return { weight: next, slots: vMax ? { m, v, vMax } : { m, v } };
  },
  fused: ({ name, beta1, beta2, epsilon, weightDecay, amsgrad }) =>
    ({ kind: 'adam', beta1, beta2, epsilon, weightDecay, decoupled: name === 'adamw', amsgrad }),
};
