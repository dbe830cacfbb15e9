import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPytorch } from '../../src/bench/pytorch.js';
import { resolveOptimizer } from '../../src/config/optimizer-settings.js';
import type { WrittenOptimizer } from '../../src/config/resolved.js';
import { accumulatedStep } from '../../src/train/micro-batch.js';
import { makeOptimizer } from '../../src/train/optimizer.js';
import { wasmAndCpu } from '../support/backends.js';
import { need } from '../support/optional.js';
import { randomArray, relativeError, rng, testSeed } from '../support/random.js';

// tlx's optimizers against PyTorch's, step by step: scripts/optimizer-traces.py
// records random weights, random gradients for 20 steps and the weights PyTorch
// computes after each, in float32 (`after`) and float64 (`exact`); tlx replays the
// gradients in float32 on each backend. The committed traces run everywhere; with
// PyTorch here, fresh ones too.

interface Trace {
  readonly optimizer: WrittenOptimizer;
  readonly learningRate: number;
  readonly shapes: number[][];
  readonly initial: number[][];
  readonly gradients: number[][][];
  readonly after: number[][][];
  readonly exact: number[][][];
}

const TRACES = JSON.parse(readFileSync(new URL('./optimizer-traces.json', import.meta.url), 'utf8')) as { torch: string; cases: Trace[] };

/**
 * Each weight within 1e-6 of PyTorch's, relative to the weight or, for a weight
 * smaller than the largest of its tensor, to that largest one (weights are N(0, 1):
 * an absolute floor of ~2e-6). Rounding to float32 costs each step ~6e-8 of the
 * weights' scale, whatever a weight's own size, so a weight that crossed 0 carries
 * the error of the scale. Measured: 2e-7 against float32 PyTorch and 6e-7 against
 * float64 at worst over 12 fresh seeds; a rule off by 1e-5 in its step misses.
 */
const RELATIVE = 1e-6;
type Optimizer = Pick<tf.Optimizer, 'applyGradients' | 'dispose'>;

/** The weights after each step when `optimizer` takes the trace's gradients (as a map, or as a list as model.fit passes them). */
function replay(trace: Trace, optimizer: Optimizer, form: 'map' | 'list'): number[][][] {
  const weights = trace.initial.map((w, i) => tf.variable(tf.tensor(w, trace.shapes[i])));
  const after = trace.gradients.map((step) => {
    const grads = step.map((g, i) => tf.tensor(g, trace.shapes[i]));
    optimizer.applyGradients(form === 'map'
      ? Object.fromEntries(weights.map((w, i) => [w.name, grads[i]!]))
      : weights.map((w, i) => ({ name: w.name, tensor: grads[i]! })));
    tf.dispose(grads);
    return weights.map((w) => Array.from(w.dataSync()));
  });
  optimizer.dispose();
  tf.dispose(weights);
  return after;
}

/** The largest error of a replay, scaled as RELATIVE bounds it, and where. */
function worst(actual: number[][][], expected: number[][][]): { error: number; at: string } {
  let found = { error: 0, at: 'nowhere' };
  expected.forEach((step, s) => step.forEach((weights, w) => weights.forEach((e, i) => {
    const scale = Math.max(...weights.map(Math.abs));
    const error = Math.abs(actual[s]![w]![i]! - e) / Math.max(Math.abs(e), scale);
    if (!(error <= found.error)) found = { error, at: `step ${s + 1}, weight ${w}[${i}]: ${actual[s]![w]![i]} vs ${e}` };
  })));
  return found;
}

const tlx = (trace: Trace) => makeOptimizer({ optimizer: resolveOptimizer(trace.optimizer), learningRate: trace.learningRate });
const label = (trace: Trace) => `${JSON.stringify(trace.optimizer)} at ${trace.learningRate}`;

beforeAll(wasmAndCpu);

describe.each(['cpu', 'wasm'] as const)(`tlx's optimizers on %s match PyTorch ${TRACES.torch} over 20 steps`, (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it.each(TRACES.cases.map((c, i) => ({ ...c, name: `${i}: ${label(c)}` })))('$name', (trace) => {
    for (const form of ['map', 'list'] as const) {
      const replayed = replay(trace, tlx(trace), form);
      for (const reference of ['after', 'exact'] as const) {
        const { error, at } = worst(replayed, trace[reference]);
        expect(error, `${form}, ${reference}: ${at}`).toBeLessThan(RELATIVE);
      }
    }
  });

  // The traces tell a wrong rule apart: tfjs-core 4.22's Adadelta (the bug tlx
  // fixes) misses them by far, its RMSprop (epsilon inside the root) by 40x the bound.
  it.each([
    ['adadelta', (t: Trace) => tf.train.adadelta(t.learningRate, 0.9, 1e-6), 0.1],
    ['rmsprop', (t: Trace) => tf.train.rmsprop(t.learningRate, 0.99, 0, 1e-8), 10 * RELATIVE],
  ] as const)("tfjs-core's own %s does not", (name, make, off) => {
    const trace = TRACES.cases.find((c) => typeof c.optimizer === 'object' && c.optimizer.name === name && Object.keys(c.optimizer).length === 1)!;
    expect(worst(replay(trace, make(trace), 'map'), trace.after).error).toBeGreaterThan(off);
  });
});

const torch = await findPytorch();
const withTorch = need('PyTorch', torch.python != null, 'apt-get install python3-torch');

describe(`fresh traces ${withTorch.label}`, () => {
  it.skipIf(!withTorch.available)('tlx matches PyTorch on new random weights and gradients', async () => {
    const seed = testSeed();
    const { stdout } = await promisify(execFile)(torch.python!, ['scripts/optimizer-traces.py', '--seed', String(seed)], { maxBuffer: 2 ** 26 });
    await tf.setBackend('wasm');
    for (const trace of (JSON.parse(stdout) as { cases: Trace[] }).cases) {
      const { error, at } = worst(replay(trace, tlx(trace), 'map'), trace.after);
      expect(error, `seed ${seed}, ${label(trace)}: ${at}`).toBeLessThan(RELATIVE);
    }
  });
});

// Both ways tlx trains call the optimizer: model.fit / trainOnBatch after compile
// (minimize, gradients as a list) and micro-batch.ts (applyGradients with a map).
describe("tlx's optimizers in a compiled model", () => {
  it.each(['adadelta', 'sgd', 'adamw'] as const)('%s: trainOnBatch and accumulatedStep take the same steps', async (name) => {
    await tf.setBackend('cpu');
    const seed = testSeed();
    const next = rng(seed);
    const make = () => tfl.sequential({ layers: [
      tfl.layers.dense({ inputShape: [5], units: 6, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed % 1000 }) }),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    const [whole, split] = [make(), make()];
    split.setWeights(whole.getWeights());
    const start = flat(whole);
    const optimizer = name === 'sgd' ? { name, momentum: 0.9 } as const : name;
    for (const m of [whole, split]) m.compile({ optimizer: makeOptimizer({ optimizer: resolveOptimizer(optimizer), learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    for (let step = 0; step < 4; step++) {
      const x = tf.tensor2d(randomArray(next, 8 * 5), [8, 5]);
      const y = tf.tensor1d(Array.from({ length: 8 }, () => Math.floor(next() * 3)));
      await whole.trainOnBatch(x, y);
      await accumulatedStep(split, x, y, 3);
      tf.dispose([x, y]);
    }
    expect(relativeError(flat(whole), start), `seed ${seed}: the weights moved`).toBeGreaterThan(1e-3);
    expect(relativeError(flat(split), flat(whole)), `seed ${seed}`).toBeLessThan(1e-5);
  });
});

function flat(model: tfl.LayersModel): Float32Array {
  return Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
}
