import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveOptimizer } from '../../src/config/optimizer-settings.js';
import type { ResolvedOptimizer, WrittenOptimizer } from '../../src/config/resolved.js';
import { OPTIMIZER_STEP } from '../../src/engine/kernels/optimizer-step.js';
import { ADAM } from '../../src/train/optimizers/adam.js';
import type { WeightTreatment } from '../../src/train/optimizers/per-weight.js';
import { RuleOptimizer, type UpdateRule } from '../../src/train/optimizers/rule-optimizer.js';
import { SGD } from '../../src/train/optimizers/sgd.js';
import { setLearningRate } from '../../src/train/optimizer.js';
import { wasmAndCpu } from '../support/backends.js';
import { pick, randomArray, randomInt, rng, testSeed } from '../support/random.js';

// The fused optimizer kernel (one call per step for all weights, wasm only) against
// the tf-ops rules: on tfjs' cpu backend (tlx registers nothing there, so it takes
// the op path) and on wasm with the fused form taken away. Fresh random weights,
// gradients, learning rates and treatments every run; equality is bit for bit.

beforeAll(wasmAndCpu);

const CASES: readonly WrittenOptimizer[] = [
  'adam',
  { name: 'adam', weightDecay: 0.05 },
  { name: 'adam', amsgrad: true },
  { name: 'adam', amsgrad: true, weightDecay: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 },
  'adamw',
  { name: 'adamw', weightDecay: 0.1, amsgrad: true },
  'sgd',
  { name: 'sgd', weightDecay: 0.01 },
  { name: 'sgd', momentum: 0.9 },
  { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.001 },
];

const RULES = { adam: ADAM, adamw: ADAM, sgd: SGD } as Record<string, UpdateRule<ResolvedOptimizer>>;

/** The rule without its fused form: the op path on every backend. */
function opsOnly(rule: UpdateRule<ResolvedOptimizer>): UpdateRule<ResolvedOptimizer> {
  return { slots: rule.slots, step: rule.step };
}

interface Scenario {
  readonly shapes: number[][];
  readonly initial: Float32Array[];
  readonly treatments: (WeightTreatment & { towardValues?: Float32Array })[];
  /** Per step: the learning rate, and each weight's gradient or none. */
  readonly steps: { learningRate: number; gradients: (Float32Array | undefined)[] }[];
}

function scenario(seed: number): Scenario {
  const next = rng(seed);
  const count = randomInt(next, 3, 7);
  // Sizes that leave 1-3 elements past the last vector of four, and ones that do not.
  const shapes = Array.from({ length: count }, () => pick(next, [[1], [3], [4], [7, 5], [3, 3, 2, 6], [33], [2, 2, 3, 8]]));
  const initial = shapes.map((s) => randomArray(next, tf.util.sizeFromShape(s)));
  const treatments = shapes.map((s, i): Scenario['treatments'][number] => {
    const kind = i % 4;
    if (kind === 0) return {};
    if (kind === 1) return { learningRateScale: 0.1 + next() };
    if (kind === 2) return { pull: { strength: 0.01 + next() * 0.1 }, learningRateScale: 2 };
    return { pull: { strength: 0.01 + next() * 0.1 }, towardValues: randomArray(next, tf.util.sizeFromShape(s)) };
  });
  const steps = Array.from({ length: 6 }, (_, step) => ({
    learningRate: 0.001 + next() * 0.05,
    // Every weight has a gradient on the first step; later some skip a step.
    gradients: shapes.map((s) => (step > 0 && next() < 0.25 ? undefined : randomArray(next, tf.util.sizeFromShape(s)))),
  }));
  return { shapes, initial, treatments, steps };
}

interface Replayed {
  readonly weights: Float32Array[][];
  readonly states: (Awaited<ReturnType<RuleOptimizer<ResolvedOptimizer>['exportState']>>)[];
  readonly fusedCalls: number[];
}

async function replay(
  backend: 'cpu' | 'wasm', rule: UpdateRule<ResolvedOptimizer>, settings: ResolvedOptimizer, s: Scenario,
): Promise<Replayed> {
  await tf.setBackend(backend);
  const variables = s.initial.map((values, i) => tf.variable(tf.tensor(values, s.shapes[i])));
  const towards = s.treatments.map((t, i) => (t.towardValues ? tf.tensor(t.towardValues, s.shapes[i]) : undefined));
  const treatments = new Map(variables.map((v, i) => {
    const { towardValues: _, ...t } = s.treatments[i]!;
    return [v.name, t.pull ? { ...t, pull: { ...t.pull, toward: towards[i] } } : t] as const;
  }));
  const optimizer = new RuleOptimizer(rule, settings, 0, treatments);
  const weights: Float32Array[][] = [];
  const fusedCalls: number[] = [];
  for (const step of s.steps) {
    setLearningRate(optimizer, step.learningRate);
    const gradients = step.gradients.flatMap((g, i) => (g ? [{ name: variables[i]!.name, tensor: tf.tensor(g, s.shapes[i]) }] : []));
    const profile = await tf.profile(() => optimizer.applyGradients(gradients));
    fusedCalls.push(profile.kernels.filter((k) => k.name === OPTIMIZER_STEP).length);
    tf.dispose(gradients.map((g) => g.tensor));
    weights.push(variables.map((v) => v.dataSync() as Float32Array));
  }
  const states = await Promise.all(variables.map((v) => optimizer.exportState(v.name)));
  optimizer.dispose();
  tf.dispose([...variables, ...towards.filter((t) => t != null)]);
  return { weights, states, fusedCalls };
}

/** The index of the first element whose bits differ, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const [x, y] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  return x.findIndex((bits, i) => bits !== y[i]);
}

function expectSameBits(actual: Replayed, expected: Replayed, label: string): void {
  expected.weights.forEach((step, s) => step.forEach((w, i) => {
    const at = firstDifference(actual.weights[s]![i]!, w);
    expect(at, `${label}: step ${s + 1}, weight ${i}[${at}]: ${actual.weights[s]![i]![at]} vs ${w[at]}`).toBe(-1);
  }));
  expected.states.forEach((state, i) => {
    expect(actual.states[i]?.steps, `${label}: steps of weight ${i}`).toBe(state?.steps);
    for (const [slot, values] of Object.entries(state!.slots)) {
      const at = firstDifference(actual.states[i]!.slots[slot]!, values);
      expect(at, `${label}: slot ${slot} of weight ${i}[${at}]`).toBe(-1);
    }
  });
}

describe('the fused optimizer step on wasm', () => {
  it.each(CASES.map((c) => ({ optimizer: c, name: JSON.stringify(c) })))('$name equals the op path bit for bit', async ({ optimizer }) => {
    const seed = testSeed();
    const s = scenario(seed);
    const settings = resolveOptimizer(optimizer);
    const rule = RULES[settings.name]!;
    const fused = await replay('wasm', rule, settings, s);
    const cpu = await replay('cpu', rule, settings, s);
    const wasmOps = await replay('wasm', opsOnly(rule), settings, s);
    const label = `seed ${seed}`;
    // One call a step (none in a step where no weight has a gradient).
    expect(fused.fusedCalls, `${label}: fused calls on wasm`).toEqual(s.steps.map((step) => (step.gradients.some((g) => g) ? 1 : 0)));
    expect(cpu.fusedCalls, `${label}: none on cpu`).toEqual(s.steps.map(() => 0));
    expect(wasmOps.fusedCalls).toEqual(s.steps.map(() => 0));
    // The weights moved, and a weight without a gradient did not.
    expect(firstDifference(fused.weights[0]![0]!, s.initial[0]!), label).not.toBe(-1);
    s.steps.forEach((step, k) => step.gradients.forEach((g, i) => {
      if (g == null) expect(firstDifference(fused.weights[k]![i]!, (fused.weights[k - 1] ?? s.initial)[i]!), `${label}: step ${k + 1}, weight ${i} has no gradient`).toBe(-1);
    }));
    expectSameBits(fused, cpu, `${label}, fused wasm vs cpu ops`);
    expectSameBits(fused, wasmOps, `${label}, fused wasm vs wasm ops`);
  });
});

describe('a model trained with the fused step', () => {
  it.each(['adam', { name: 'sgd', momentum: 0.9, nesterov: true }] as const)('%s: fit ends where the op path ends, bit for bit', async (optimizer) => {
    await tf.setBackend('wasm');
    const seed = testSeed();
    const next = rng(seed);
    const make = () => tfl.sequential({ layers: [
      tfl.layers.conv2d({ inputShape: [6, 6, 2], filters: 5, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    const x = tf.tensor4d(randomArray(next, 24 * 6 * 6 * 2), [24, 6, 6, 2]);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 24 }, () => Math.floor(next() * 3)), 'int32'), 3);
    const settings = resolveOptimizer(optimizer);
    const rule = RULES[settings.name]!;
    const models = [make(), make()];
    models[1]!.setWeights(models[0]!.getWeights());
    const start = models[0]!.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    const trained: Float32Array[][] = [];
    for (const [k, model] of models.entries()) {
      model.compile({ optimizer: new RuleOptimizer(k === 0 ? rule : opsOnly(rule), settings, 0.01), loss: 'categoricalCrossentropy' });
      await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
      trained.push(model.getWeights().map((w) => w.dataSync() as Float32Array));
    }
    expect(firstDifference(trained[0]![0]!, start[0]!), `seed ${seed}: the weights moved`).not.toBe(-1);
    trained[0]!.forEach((w, i) => {
      expect(firstDifference(w, trained[1]![i]!), `seed ${seed}: weight ${i}`).toBe(-1);
    });
    tf.dispose([x, y]);
    models.forEach((m) => m.dispose());
  });
});
