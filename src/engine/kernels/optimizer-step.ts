import type * as tf from '@tensorflow/tfjs-core';
import { InternalError } from '../../errors.js';
import { OPTIMIZER_FLAGS, simdKernels } from '../simd/tlx-kernels.js';
import { asHeapBackend, offsetOf } from './wasm-heap.js';

/**
 * One optimizer step for many variables in one kernel call (optimizer-kernels.c),
 * where the tf-ops rules (train/optimizers/) run about ten small ops per variable,
 * each a dispatch through tfjs. Inputs `w<i>`, `g<i>` and a slot's `<slot><i>`
 * (fusedSlots) for each variable i; attrs: the rule and each variable's learning
 * rate and step count. Outputs, per variable in order: the new weight, then its
 * new slots in fusedSlots order. Results equal the ops' bit for bit: the same
 * float32 operations in the same order, on scalars computed by the same functions
 * (adamFactors, used by adam.ts too).
 */
export const OPTIMIZER_STEP = 'TlxOptimizerStep';

/** An update rule the fused kernel computes, with its settings. */
export type FusedRule =
  | {
    readonly kind: 'adam'; readonly beta1: number; readonly beta2: number; readonly epsilon: number;
    readonly weightDecay: number; readonly decoupled: boolean; readonly amsgrad: boolean;
  }
  | { readonly kind: 'sgd'; readonly momentum: number; readonly nesterov: boolean; readonly weightDecay: number };

export interface OptimizerStepAttrs {
  readonly rule: FusedRule;
  readonly learningRates: readonly number[];
  readonly steps: readonly number[];
}

type AdamRule = Extract<FusedRule, { kind: 'adam' }>;

/** The slots a fused rule keeps per variable, in input and output order. */
export function fusedSlots(rule: FusedRule): readonly string[] {
  if (rule.kind === 'adam') return rule.amsgrad ? ['m', 'v', 'vMax'] : ['m', 'v'];
  return rule.momentum === 0 ? [] : ['velocity'];
}

/**
 * Adam's scalars at step t, in float64 as JS computes them; the ops and the kernel
 * both take them rounded to float32. decay: AdamW's weight factor; stepSize: the
 * learning rate over the first moment's bias correction; corrected2: the square
 * root of the second's.
 */
export function adamFactors(rule: Pick<AdamRule, 'beta1' | 'beta2' | 'weightDecay'>, learningRate: number, t: number) {
  return {
    decay: 1 - learningRate * rule.weightDecay,
    oneMinusBeta1: 1 - rule.beta1,
    oneMinusBeta2: 1 - rule.beta2,
    corrected2: Math.sqrt(1 - rule.beta2 ** t),
    stepSize: learningRate / (1 - rule.beta1 ** t),
  };
}

export const optimizerStep: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { rule, learningRates, steps } = attrs as unknown as OptimizerStepAttrs;
  const heap = asHeapBackend(backend);
  const kernels = simdKernels(heap.wasm);
  const slots = fusedSlots(rule);
  const input = (name: string, like?: tf.TensorInfo): tf.TensorInfo => {
    const info = inputs[name];
    if (info == null || info.dtype !== 'float32' || (like && !sameShape(info.shape, like.shape))) {
      throw new InternalError(`${OPTIMIZER_STEP} needs a float32 input '${name}'${like ? ` shaped [${like.shape}]` : ''}`);
    }
    return info;
  };
  const outputs: tf.TensorInfo[] = [];
  learningRates.forEach((learningRate, i) => {
    const w = input(`w${i}`);
    const g = input(`g${i}`, w);
    const old = slots.map((slot) => input(`${slot}${i}`, w));
    const made = [w, ...old].map(() => heap.makeOutput([...w.shape], 'float32'));
    outputs.push(...made);
    // Offsets stay valid when an allocation grows the memory; views would not.
    const at = (info: tf.TensorInfo | undefined) => (info ? offsetOf(heap, info) : 0);
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (rule.kind === 'adam') {
      const f = adamFactors(rule, learningRate, steps[i]!);
      const flags = (rule.decoupled && rule.weightDecay !== 0 ? OPTIMIZER_FLAGS.decoupledDecay : 0)
        | (!rule.decoupled && rule.weightDecay !== 0 ? OPTIMIZER_FLAGS.l2 : 0)
        | (rule.amsgrad ? OPTIMIZER_FLAGS.amsgrad : 0);
      kernels.adamStep(n, flags, at(w), at(g), at(old[0]), at(old[1]), at(old[2]),
        at(made[0]), at(made[1]), at(made[2]), at(made[3]), f.decay, rule.weightDecay, rule.beta1,
        f.oneMinusBeta1, rule.beta2, f.oneMinusBeta2, f.corrected2, rule.epsilon, f.stepSize);
    } else {
      const flags = (rule.weightDecay !== 0 ? OPTIMIZER_FLAGS.l2 : 0)
        | (rule.momentum !== 0 ? OPTIMIZER_FLAGS.momentum : 0)
        | (rule.momentum !== 0 && rule.nesterov ? OPTIMIZER_FLAGS.nesterov : 0);
      kernels.sgdStep(n, flags, at(w), at(g), at(old[0]), at(made[0]), at(made[1]),
        rule.weightDecay, rule.momentum, learningRate);
    }
  });
  return outputs;
};

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}
