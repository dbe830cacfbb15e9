import * as tf from '@tensorflow/tfjs-core';
import { type FusedRule, fusedSlots, OPTIMIZER_STEP, type OptimizerStepAttrs } from '../../engine/kernels/optimizer-step.js';
import { pulledGradient, type WeightTreatment, type WeightTreatments } from './per-weight.js';

/** A weight's optimizer state by name (moments, accumulators), each shaped like the weight. */
export type SlotValues = Readonly<Partial<Record<string, tf.Tensor>>>;

/**
 * An update rule as a pure function of tensors: the settings it was resolved
 * with, which state each weight carries (and its starting value), and one step.
 */
export interface UpdateRule<S> {
  /** The per-weight state and the value every element starts at. */
  readonly slots: (settings: S) => Readonly<Partial<Record<string, number>>>;
  /** The weight and state after one step; `t` counts this weight's steps, from 1. */
  readonly step: (args: StepArgs<S>) => { readonly weight: tf.Tensor; readonly slots: SlotValues };
  /**
   * The same rule as the fused kernel computes it (engine/kernels/optimizer-step.ts):
   * all variables of a step in one kernel call, where the backend has the kernel.
   */
  readonly fused?: (settings: S) => FusedRule;
}

export interface StepArgs<S> {
  readonly settings: S;
  readonly learningRate: number;
  readonly t: number;
  readonly weight: tf.Tensor;
  readonly gradient: tf.Tensor;
  readonly slots: SlotValues;
}

interface WeightState {
  readonly slots: Record<string, tf.Variable>;
  steps: number;
}

/** One weight's part in a step: its gradient, state, learning rate and pull. */
interface Update {
  readonly weight: tf.Variable;
  readonly gradient: tf.Tensor;
  readonly state: WeightState;
  readonly learningRate: number;
  readonly pull: WeightTreatment['pull'];
}

/**
 * At most this many bytes of new weights and slots per fused kernel call: the
 * outputs of a call all exist at once, where the per-op path makes one weight's
 * at a time.
 */
const FUSED_BYTES = 256 * 2 ** 20;

/**
 * A tf.Optimizer driving one of tlx's update rules, so model.compile and
 * applyGradients (micro-batch.ts) both use it. State is kept per weight name, not
 * per position in the gradient list as tfjs-core's optimizers keep it, and each
 * weight counts its own steps (a weight without a gradient in a step is not
 * stepped, as in PyTorch). `treatments` scale a weight's learning rate and pull it
 * toward a point (per-weight.ts), as PyTorch's parameter groups would.
 */
export class RuleOptimizer<S extends { readonly name: string }> extends tf.Optimizer {
  static get className(): string {
    return 'TlxRuleOptimizer';
  }

  private readonly state = new Map<string, WeightState>();

  constructor(
    private readonly rule: UpdateRule<S>, private readonly settings: S, public learningRate: number,
    private readonly treatments: WeightTreatments = new Map(),
  ) {
    super();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const pairs: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor])
      : Object.entries(variableGradients);
    const stepped = pairs.filter((p): p is [string, tf.Tensor] => p[1] != null);
    const fused = this.fusedRule(stepped);
    const updates = stepped.map(([name, gradient]): Update => {
      const weight = tf.engine().registeredVariables[name];
      if (weight == null) throw new Error(`no variable named ${name} to apply a gradient to`);
      const state = this.stateOf(name, weight);
      state.steps += 1;
      const treatment = this.treatments.get(name);
      return { weight, gradient, state, learningRate: this.learningRate * (treatment?.learningRateScale ?? 1), pull: treatment?.pull };
    });
    if (fused) {
      for (const group of byteGroups(updates)) tf.tidy(() => this.fusedStep(fused, group));
    } else {
      for (const { weight, gradient, state, learningRate, pull } of updates) {
        tf.tidy(() => {
          const next = this.rule.step({
            settings: this.settings, learningRate, t: state.steps,
            weight, gradient: pulledGradient(gradient, weight, pull), slots: state.slots,
          });
          for (const [k, v] of Object.entries(next.slots)) if (v) state.slots[k]!.assign(v);
          weight.assign(next.weight);
        });
      }
    }
    this.incrementIterations();
  }

  /**
   * The rule's fused form where the active backend has the kernel and every
   * weight suits it (float32, each named once); otherwise the per-op path.
   */
  private fusedRule(stepped: readonly [string, tf.Tensor][]): FusedRule | undefined {
    const fused = this.rule.fused?.(this.settings);
    if (fused == null || tf.getKernel(OPTIMIZER_STEP, tf.getBackend()) == null) return undefined;
    const names = new Set(stepped.map(([name]) => name));
    const suits = names.size === stepped.length && stepped.every(([name, g]) =>
      g.dtype === 'float32' && tf.engine().registeredVariables[name]?.dtype === 'float32');
    return suits ? fused : undefined;
  }

  /** One kernel call steps every weight of `updates` and assigns the results. */
  private fusedStep(rule: FusedRule, updates: readonly Update[]): void {
    const slots = fusedSlots(rule);
    const inputs: tf.NamedTensorMap = {};
    updates.forEach(({ weight, gradient, state, pull }, i) => {
      inputs[`w${i}`] = weight;
      inputs[`g${i}`] = pulledGradient(gradient, weight, pull);
      for (const slot of slots) inputs[`${slot}${i}`] = state.slots[slot]!;
    });
    const attrs: OptimizerStepAttrs = {
      rule, learningRates: updates.map((u) => u.learningRate), steps: updates.map((u) => u.state.steps),
    };
    const out = tf.engine().runKernel(OPTIMIZER_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    updates.forEach(({ weight, state }, i) => {
      const at = i * (slots.length + 1);
      weight.assign(out[at]!);
      slots.forEach((slot, k) => state.slots[slot]!.assign(out[at + 1 + k]!));
    });
  }

  private stateOf(name: string, weight: tf.Variable): WeightState {
    let state = this.state.get(name);
    if (state == null) {
      const starts = Object.entries(this.rule.slots(this.settings)).filter((e): e is [string, number] => e[1] != null);
      const slots = Object.fromEntries(starts.map(([k, start]) => [k, tf.tidy(() => tf.fill(weight.shape, start, weight.dtype).variable(false))]));
      state = { slots, steps: 0 };
      this.state.set(name, state);
    }
    return state;
  }

  /** A weight's state as plain arrays (undefined before its first step): what a checkpoint keeps. */
  async exportState(name: string): Promise<{ readonly steps: number; readonly slots: Readonly<Record<string, Float32Array>> } | undefined> {
    const state = this.state.get(name);
    if (state == null) return undefined;
    const slots = await Promise.all(Object.entries(state.slots).map(async ([k, v]) => [k, await v.data() as Float32Array] as const));
    return { steps: state.steps, slots: Object.fromEntries(slots) };
  }

  /** Sets a weight's state from a checkpoint, as if its steps had been taken here. */
  importState(name: string, weight: tf.Variable, saved: { readonly steps: number; readonly slots: Readonly<Record<string, Float32Array>> }): void {
    const state = this.stateOf(name, weight);
    state.steps = saved.steps;
    tf.tidy(() => {
      for (const [k, values] of Object.entries(saved.slots)) state.slots[k]?.assign(tf.tensor(values, weight.shape, weight.dtype));
    });
  }

  override dispose(): void {
    for (const { slots } of this.state.values()) for (const v of Object.values(slots)) if (!v.isDisposed) v.dispose();
    this.state.clear();
    super.dispose();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...this.settings, learningRate: this.learningRate };
  }
}

/** Consecutive runs of updates whose new weights and slots fit FUSED_BYTES (a larger weight alone). */
function byteGroups(updates: readonly Update[]): Update[][] {
  const groups: Update[][] = [];
  let bytes = Infinity;
  for (const update of updates) {
    const size = 4 * update.weight.size * (1 + Object.keys(update.state.slots).length);
    if (bytes + size > FUSED_BYTES) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(update);
    bytes += size;
  }
  return groups;
}

/** PyTorch's weight_decay: the L2 penalty's gradient added to the weight's. */
export function withL2(gradient: tf.Tensor, weight: tf.Tensor, weightDecay: number): tf.Tensor {
  return weightDecay === 0 ? gradient : tf.add(gradient, tf.mul(weight, weightDecay));
}
