import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveOptimizer } from '../../src/config/optimizer-settings.js';
import type { WrittenOptimizer } from '../../src/config/resolved.js';
import { buildTargetModel } from '../../src/models/target-model.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { transferTreatments } from '../../src/train/transfer-treatments.js';
import { wasmAndCpu } from '../support/backends.js';
import { randomArray, rng, testSeed } from '../support/random.js';

// A source of three dense layers (cut at the last, `c`) and the target model's
// output layer: depths head 0, c 1, dropout (no weights) with c 1, b 2, a 3.
const SOURCE_LAYERS = ['a', 'b', 'drop', 'c'];
const DEPTH: Record<string, number> = { target_output: 0, c: 1, b: 2, a: 3 };

function transferred(seed: number): tfl.LayersModel {
  const init = (s: number) => tfl.initializers.glorotUniform({ seed: seed % 1000 + s });
  const source = tfl.sequential({ layers: [
    tfl.layers.dense({ inputShape: [4], units: 5, name: 'a', kernelInitializer: init(1) }),
    tfl.layers.dense({ units: 5, name: 'b', kernelInitializer: init(2) }),
    tfl.layers.dropout({ rate: 0, name: 'drop' }),
    tfl.layers.dense({ units: 5, name: 'c', kernelInitializer: init(3) }),
  ] });
  return buildTargetModel(source, { cut: 'c', frozen: [], head: [], classes: 3 });
}

interface Step { readonly layer: string; readonly before: Float64Array; readonly after: Float64Array; readonly gradient: Float64Array; readonly start: Float64Array }

/**
 * One optimizer step on every weight of a fresh model with random gradients, after
 * its weights drifted by `drift` from where the treatments were taken (L2-SP's start).
 */
function step(seed: number, optimizer: WrittenOptimizer, transfer: Parameters<typeof transferTreatments>[2], drift = 0): Step[] {
  const next = rng(seed);
  const model = transferred(seed);
  const { treatments, dispose } = transferTreatments(model, SOURCE_LAYERS, transfer);
  const weights = model.layers.flatMap((l) => l.weights.map((w) => ({ layer: l.name, variable: w.read() as tf.Variable })));
  const start = weights.map((w) => Float64Array.from(w.variable.dataSync()));
  for (const w of weights) tf.tidy(() => w.variable.assign(tf.add(w.variable, tf.mul(tf.tensor(randomArray(next, w.variable.size), w.variable.shape), drift))));
  const before = weights.map((w) => Float64Array.from(w.variable.dataSync()));
  const gradients = weights.map((w) => tf.tensor(randomArray(next, w.variable.size), w.variable.shape));
  const opt = makeOptimizer({ optimizer: resolveOptimizer(optimizer), learningRate: 0.1 }, treatments);
  opt.applyGradients(Object.fromEntries(weights.map((w, i) => [w.variable.name, gradients[i]!])));
  const steps = weights.map((w, i) => ({
    layer: w.layer, before: before[i]!, after: Float64Array.from(w.variable.dataSync()), gradient: Float64Array.from(gradients[i]!.dataSync()), start: start[i]!,
  }));
  opt.dispose();
  dispose();
  tf.dispose(gradients);
  model.dispose();
  return steps;
}

const maxError = (a: Float64Array, b: Float64Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!) / Math.max(Math.abs(b[i]!), 1e-3)), 0);
// A step's float32 rounding is relative to the numbers it adds, not to its result: where
// w - lr g' lands near 0 the relative error above can be large by cancellation alone.
const stepError = (s: Step, expected: Float64Array) => s.after.reduce((m, x, i) =>
  Math.max(m, Math.abs(x - expected[i]!) / Math.max(Math.abs(s.before[i]!), Math.abs(expected[i]!), 1e-3)), 0);
const update = (s: Step) => s.before.map((b, i) => b - s.after[i]!);

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('cpu');
});

describe('discriminative learning rates', () => {
  // The rule sees lr / decay^d: SGD's update is the plain one over decay^d exactly
  // (up to float32 rounding); Adam's too, its learning rate multiplying the step.
  it.each([
    { name: 'sgd', optimizer: 'sgd' as const },
    { name: 'sgd with momentum', optimizer: { name: 'sgd', momentum: 0.9 } as const },
    { name: 'adam', optimizer: 'adam' as const },
  ])('$name: the update at depth d is the undecayed one / 2.6^d', ({ optimizer }) => {
    const seed = testSeed();
    const plain = step(seed, optimizer, {});
    const decayed = step(seed, optimizer, { discriminative: { decay: 2.6, layersPerGroup: 1 } });
    const seen = new Set<number>();
    plain.forEach((p, i) => {
      const d = DEPTH[p.layer]!;
      seen.add(d);
      const expected = update(p).map((u) => u / 2.6 ** d);
      const error = maxError(update(decayed[i]!), expected);
      expect(error, `seed ${seed}, ${p.layer} (depth ${d})`).toBeLessThan(1e-4);
      expect(Math.max(...update(p).map(Math.abs)), `seed ${seed}, ${p.layer} moved`).toBeGreaterThan(1e-3);
    });
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it('two layers per group: c and b share depth 1, a has 2', () => {
    const seed = testSeed();
    const plain = step(seed, 'sgd', {});
    const decayed = step(seed, 'sgd', { discriminative: { decay: 3, layersPerGroup: 2 } });
    const depth: Record<string, number> = { target_output: 0, c: 1, b: 1, a: 2 };
    plain.forEach((p, i) => expect(maxError(update(decayed[i]!), update(p).map((u) => u / 3 ** depth[p.layer]!)), p.layer).toBeLessThan(1e-4));
  });
});

describe('L2-SP', () => {
  // Against the step computed here in float64 from the same numbers:
  // transferred w' = w - lr (g + alpha (w - w0)), head w' = w - lr (g + beta w).
  it('sgd: the transferred weights are pulled toward their start, the head toward 0', () => {
    const seed = testSeed();
    const [alpha, beta, lr] = [0.3, 0.05, 0.1];
    const steps = step(seed, 'sgd', { l2sp: { alpha, beta } }, 0.5);
    for (const s of steps) {
      const head = !SOURCE_LAYERS.includes(s.layer);
      const expected = s.before.map((w, i) => w - lr * (s.gradient[i]! + (head ? beta * w : alpha * (w - s.start[i]!))));
      expect(stepError(s, expected), `seed ${seed}, ${s.layer}`).toBeLessThan(2e-6);
      // Not vacuous: the pull moved each weight away from the plain step.
      const plain = s.before.map((w, i) => w - lr * s.gradient[i]!);
      expect(maxError(s.after, plain), `seed ${seed}, ${s.layer} pulled`).toBeGreaterThan(1e-4);
    }
  });

  it('adam: the pull is part of the gradient the rule normalises (first step: lr g\' / (|g\'| + eps))', () => {
    const seed = testSeed();
    const [alpha, beta, lr] = [2, 1, 0.1];
    const steps = step(seed, 'adam', { l2sp: { alpha, beta } }, 0.5);
    for (const s of steps) {
      const head = !SOURCE_LAYERS.includes(s.layer);
      const expected = s.before.map((w, i) => {
        const g = s.gradient[i]! + (head ? beta * w : alpha * (w - s.start[i]!));
        return w - (lr * g) / (Math.abs(g) + 1e-8);
      });
      expect(stepError(s, expected), `seed ${seed}, ${s.layer}`).toBeLessThan(1e-5);
    }
  });
});
