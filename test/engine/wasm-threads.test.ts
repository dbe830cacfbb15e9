import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../src/engine/quiet.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../src/package-root.js';
import { randomArray, randomInt, relativeError, rng, testSeed } from '../support/random.js';
// @ts-expect-error -- plain JS shared with the child process
import { smallNet } from './wasm-threads-net.mjs';

// The wasm backend starts once per process, so each thread count computes in a child
// process (wasm-threads-child.mjs, on the build in dist/), on inputs drawn here.

const seed = testSeed();
const next = rng(seed);
const xShape = [randomInt(next, 2, 4), randomInt(next, 20, 28), randomInt(next, 20, 28), 8] as const;
const wShape = [3, 3, 8, randomInt(next, 12, 20)] as const;
const dwShape = [3, 3, 8, 2] as const;
const aShape = [randomInt(next, 48, 80), randomInt(next, 64, 128)] as const;
const bShape = [aShape[1], randomInt(next, 48, 96)] as const;
const netShape = [16, 16, 3] as const;
const netBatch = randomInt(next, 8, 16);
const steps = 3;

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const b64 = (a: Float32Array) => Buffer.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).toString('base64');
const floats = (s: string) => { const b = Buffer.from(s, 'base64'); return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); };

const inputs = {
  x: randomArray(next, size(xShape)), w: randomArray(next, size(wShape)), dw: randomArray(next, size(dwShape)),
  a: randomArray(next, size(aShape)), b: randomArray(next, size(bShape)),
  netX: randomArray(next, netBatch * size(netShape)),
  netY: (() => {
    const y = new Float32Array(netBatch * 4);
    for (let i = 0; i < netBatch; i++) y[i * 4 + randomInt(next, 0, 3)] = 1;
    return y;
  })(),
};
await tf.setBackend('cpu');
const init = (() => {
  const model = smallNet(tfl, netShape) as tfl.LayersModel;
  const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  model.dispose();
  return weights;
})();

interface ChildResult {
  threads: number;
  note: string | null;
  out: { conv2d: string; depthwise: string; matMul: string; losses: string; weights: string[] };
}

function compute(threads: number): ChildResult | string {
  const child = fileURLToPath(new URL('./wasm-threads-child.mjs', import.meta.url));
  const message = JSON.stringify({
    xShape, wShape, dwShape, aShape, bShape, netShape, netBatch, steps,
    x: b64(inputs.x), w: b64(inputs.w), dw: b64(inputs.dw), a: b64(inputs.a), b: b64(inputs.b),
    netX: b64(inputs.netX), netY: b64(inputs.netY), init: init.map(b64),
  });
  const run = spawnSync(process.execPath, [child], {
    input: message, encoding: 'utf8', timeout: 100_000, maxBuffer: 64 << 20,
    env: { ...process.env, TLX_WASM_THREADS: String(threads) },
  });
  if (run.status !== 0) return `the child with ${threads} thread(s) failed (${run.status ?? run.signal}): ${run.stderr.slice(-500)}`;
  return JSON.parse(run.stdout) as ChildResult;
}

const built = existsSync(packagePath('dist', 'src', 'engine', 'wasm-pthread-worker.js'));
const one = built ? compute(1) : undefined;
const two = built ? compute(2) : undefined;
// Skipped only where threads cannot start: tlx then computes on 1 thread and says why.
// A child that fails or hangs (at exit too) fails the tests below.
const skip = !built ? 'dist/ is not built (npx tsc -p tsconfig.json): the pthread worker script runs from there'
  : two != null && typeof two !== 'string' && two.threads === 1 && two.note != null ? `2 threads cannot start here: ${two.note}` : undefined;
if (skip != null) console.warn(`wasm-threads.test.ts skipped: ${skip}`);

function result(r: ChildResult | string | undefined): ChildResult {
  if (typeof r === 'string' || r == null) throw new Error(r ?? 'not computed');
  return r;
}

describe.skipIf(skip != null)('tfjs-backend-wasm on 2 threads', () => {
  it('runs 1 thread by default and 2 when asked, and the processes exit', () => {
    expect(result(one).threads).toBe(1);
    expect(result(two).threads).toBe(2);
  });

  it('computes the same bits as 1 thread: ops, losses and weights after training', () => {
    const r1 = result(one);
    const r2 = result(two);
    for (const op of ['conv2d', 'depthwise', 'matMul', 'losses'] as const) {
      expect(r2.out[op] === r1.out[op], `seed ${seed}, ${op}`).toBe(true);
    }
    r2.out.weights.forEach((w, i) => expect(w === r1.out.weights[i], `seed ${seed}, weight ${i}`).toBe(true));
  });

  it('agrees with the cpu backend', async () => {
    const r2 = result(two);
    await tf.setBackend('cpu');
    const x = tf.tensor4d(inputs.x, xShape as unknown as [number, number, number, number]);
    const expected = {
      conv2d: tf.conv2d(x, tf.tensor4d(inputs.w, wShape as unknown as [number, number, number, number]), 1, 'same'),
      depthwise: tf.depthwiseConv2d(x, tf.tensor4d(inputs.dw, dwShape as unknown as [number, number, number, number]), 1, 'same'),
      matMul: tf.matMul(tf.tensor2d(inputs.a, aShape as unknown as [number, number]), tf.tensor2d(inputs.b, bShape as unknown as [number, number])),
    };
    for (const [op, t] of Object.entries(expected)) {
      expect(relativeError(floats(r2.out[op as keyof typeof expected]), t.dataSync()), `seed ${seed}, ${op}`).toBeLessThan(1e-5);
    }
    const model = smallNet(tfl, netShape) as tfl.LayersModel;
    model.setWeights(init.map((w, i) => tf.tensor(w, model.getWeights()[i]!.shape)));
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor4d(inputs.netX, [netBatch, ...netShape]);
    const ys = tf.tensor2d(inputs.netY, [netBatch, 4]);
    for (let step = 0; step < steps; step++) await model.trainOnBatch(xs, ys);
    model.getWeights().forEach((w, i) => {
      const cpu = w.dataSync();
      // Training must have moved the weights, or the comparison proves nothing.
      if (i % 2 === 0) expect(relativeError(cpu, init[i]!), `weight ${i} did not change`).toBeGreaterThan(1e-6);
      expect(relativeError(floats(r2.out.weights[i]!), cpu), `seed ${seed}, weight ${i}`).toBeLessThan(1e-3);
    });
  });
});
