import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { pixelScale } from '../../src/data/images/batches.js';
import type { ImageSet } from '../../src/data/images/image-set.js';
import { resolveSchedule } from '../../src/config/schedule-settings.js';
import { fit, type FitOptions } from '../../src/train/fit.js';
import { exampleSets } from '../../src/train/inputs.js';
import { withSeededMathRandom } from '../../src/random.js';
import { rng } from '../support/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Fresh random data each run: three noisy classes, not separable in one epoch.
const seed = Math.floor(Math.random() * 1e9);
function set(n: number, s: number): ImageSet {
  const next = rng(s);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const pixels = Uint8Array.from({ length: n * 16 }, (_, k) => labels[Math.floor(k / 16)]! * 40 + Math.floor(next() * 140));
  return { pixels, labels, shape: [4, 4, 1], classes: 3 };
}
const data = exampleSets({ train: set(90, seed), validation: set(30, seed + 1), test: set(30, seed + 2) }, pixelScale('-1..1', 1));

// Dropout draws from the seeded Math.random; Adam carries moments: both must continue where they were.
const model = () => tfl.sequential({ layers: [
  tfl.layers.flatten({ inputShape: [4, 4, 1] }), tfl.layers.dense({ units: 12, activation: 'relu' }),
  tfl.layers.dropout({ rate: 0.3 }), tfl.layers.dense({ units: 3, activation: 'softmax' }),
] });

const train = (restoreBest: boolean): FitOptions['train'] => ({
  epochs: 6, batchSize: 16, optimizer: 'adam', learningRate: 0.05,
  schedule: resolveSchedule({ name: 'cosine', minLearningRate: 0.001 }),
  earlyStopping: { monitor: 'val_loss', patience: 10, restoreBest },
});

/** A task's run: the model built and trained under one seed, as a worker does. */
const run = (options: Omit<FitOptions, 'metrics'>) => withSeededMathRandom(seed % 1000, async () => {
  const m = model();
  const result = await fit(m, data, { ...options, metrics: ['accuracy', 'macroF1'] });
  const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
  tf.disposeVariables();
  return { result, weights };
});

for (const restoreBest of [false, true]) {
  it(`training stopped at a rung and continued from its checkpoint equals training straight through, bit for bit (restoreBest ${restoreBest}, seed ${seed})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-ckpt-'));
    const straight = await run({ train: train(restoreBest) });
    const first = await run({ train: train(restoreBest), rung: { until: 2, saveTo: join(dir, 'e2') } });
    expect(straight.result.status).toBe('ok');
    expect(first.result.curve.map((p) => p.epoch)).toEqual([1, 2]);
    const second = await run({ train: train(restoreBest), rung: { until: 4, resumeFrom: join(dir, 'e2'), saveTo: join(dir, 'e4') } });
    const last = await run({ train: train(restoreBest), rung: { until: 6, resumeFrom: join(dir, 'e4') } });
    expect(second.result.curve.slice(0, 2).map((p) => p.val)).toEqual(first.result.curve.map((p) => p.val));
    const strip = (c: typeof straight.result.curve) => c.map(({ seconds: _s, ...p }) => p);
    expect(strip(last.result.curve)).toEqual(strip(straight.result.curve));
    expect(last.result.test).toEqual(straight.result.test);
    expect(last.weights).toEqual(straight.weights);
    // The rung before differs from the end (so the comparison above says something).
    expect(second.result.curve.length).toBe(4);
    expect(second.weights).not.toEqual(straight.weights);
  });
}
