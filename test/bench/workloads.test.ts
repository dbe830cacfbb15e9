import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { measure } from '../../src/bench/measure.js';
import { WORKLOADS } from '../../src/bench/workloads.js';
import { wasmAndCpu } from '../support/backends.js';

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('wasm');
});

it('each workload\'s model takes the input it describes', () => {
  for (const w of WORKLOADS) {
    const model = w.build();
    const shape = w.input.kind === 'image' ? [null, ...w.input.shape] : [null, w.input.length];
    expect(model.inputs[0]!.shape, w.name).toEqual(shape);
    expect(model.inputs[0]!.dtype, w.name).toBe(w.input.kind === 'image' ? 'float32' : 'int32');
    expect(model.outputs[0]!.shape, w.name).toEqual([null, w.classes]);
    model.dispose();
  }
});

it('text-cnn is Kim\'s size and measures on token ids', async () => {
  const w = WORKLOADS.find((x) => x.name === 'text-cnn')!;
  expect(w.input).toEqual({ kind: 'tokens', length: 50, vocabulary: 20_000 });
  expect(w.batch).toBe(50);
  const small = { ...w, batch: 2, build: () => w.build() };
  const result = await measure(small, { warmup: 0, steps: 1 });
  expect(result.train.samplesPerSec).toBeGreaterThan(0);
  // Kim's three convolutions dominate: 2 * 300 * 100 * (48*3 + 47*4 + 46*5) per sentence.
  expect(result.forwardGflopPerSample).toBeCloseTo((2 * 300 * 100 * (48 * 3 + 47 * 4 + 46 * 5) + 2 * 300 * 10) / 1e9, 9);
});
