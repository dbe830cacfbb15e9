import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { pixelScale } from '../../src/data/images/batches.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { checkFiles } from '../../src/data/images/decode-images.js';
import type { Images, ImageSet } from '../../src/data/images/image-set.js';
import { filesSet, pickImages } from '../../src/data/images/images.js';
import { splitFrozenPrefix } from '../../src/models/frozen-prefix.js';
import { buildTargetModel } from '../../src/models/target-model.js';
import { withSeededMathRandom } from '../../src/random.js';
import { fit, type FitResult } from '../../src/train/fit.js';
import { frozenFeatureView, type TrainingView } from '../../src/train/frozen-features.js';
import { targetExamples } from '../../src/train/inputs.js';
import { wasmAndCpu } from '../support/backends.js';
import { rng, testSeed } from '../support/random.js';

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('wasm');
});

const seed = testSeed();

/** Random 10x10 images of 3 classes, brighter by class, so training moves the weights. */
function images(n: number, next: () => number): ImageSet {
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const pixels = Uint8Array.from({ length: n * 100 }, (_, k) => Math.min(255, labels[Math.floor(k / 100)]! * 60 + Math.floor(next() * 120)));
  return { pixels, labels, shape: [10, 10, 1], classes: 3 };
}

function source(): tfl.LayersModel {
  // Nonzero biases, as a trained source has: fused and unfused bias adds then round differently.
  const biasInitializer = tfl.initializers.randomNormal({ stddev: 0.5 });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ name: 'conv1', inputShape: [10, 10, 1], filters: 4, kernelSize: 3, activation: 'relu', biasInitializer }),
      tfl.layers.batchNormalization({ name: 'bn' }),
      tfl.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
      tfl.layers.conv2d({ name: 'conv2', filters: 6, kernelSize: 2, activation: 'relu', biasInitializer }),
      tfl.layers.dropout({ name: 'drop', rate: 0.3 }),
      tfl.layers.flatten({ name: 'flat' }),
    ],
  });
}

/** The same model, data and seed trained once on images end to end and once on cached features. */
async function trainBoth(frozen: string[]): Promise<{ views: TrainingView[]; results: FitResult[]; weights: number[][][] }> {
  const next = rng(seed);
  const sets = { train: images(48, next), validation: images(15, next), test: images(15, next) };
  const views: TrainingView[] = [];
  const results: FitResult[] = [];
  const weights: number[][][] = [];
  for (const budget of [false, 2 ** 30] as const) {
    await withSeededMathRandom(seed, async () => {
      const model = buildTargetModel(source(), { cut: 'flat', frozen, head: [{ dense: { units: 8 } }, { dropout: { rate: 0.25 } }], classes: 3 });
      const view = await frozenFeatureView(model, targetExamples(sets), { scale: pixelScale('0..1', 1), budget });
      views.push(view);
      results.push(await fit(view.model, view.inputs, { train: { epochs: 3, batchSize: 8, optimizer: 'adam', learningRate: 0.01 }, metrics: ['accuracy', 'macroF1'] }));
      weights.push(model.getWeights().map((w) => Array.from(w.dataSync())));
    });
  }
  return { views, results, weights };
}

describe(`frozen-feature caching (seed ${seed})`, () => {
  it.each([
    [['conv1', 'bn'], 'pool'],
    [['conv1', 'bn', 'pool', 'conv2', 'drop', 'flat'], 'conv2'],
  ])('frozen %j: trains on features at %s with the same numbers as end to end', async (frozen, boundary) => {
    const { views, results, weights } = await trainBoth(frozen);
    expect(views[0]!.cache).toEqual({ off: 'turned off (--no-cache)' });
    expect(views[1]!.cache).toMatchObject({ boundary });
    const [plain, cached] = results as [FitResult, FitResult];
    expect(cached.curve).toHaveLength(plain.curve.length);
    // Bit for bit: losses, validation scores, test metrics and the trained weights.
    expect(cached.curve.map(({ seconds: _, ...p }) => p)).toEqual(plain.curve.map(({ seconds: _, ...p }) => p));
    expect(cached.test).toEqual(plain.test);
    expect(weights[1]).toEqual(weights[0]);
    const before = await withSeededMathRandom(seed, async () => buildTargetModel(source(), { cut: 'flat', frozen, head: [{ dense: { units: 8 } }, { dropout: { rate: 0.25 } }], classes: 3 }).getWeights().map((w) => Array.from(w.dataSync())));
    expect(weights[0]).not.toEqual(before); // training moved them
  }, 60_000);

  it('from image files decoded a chunk at a time: the same features, bit for bit, as from the pixels in memory', async () => {
    // 300 images: more than one chunk (256), so chunk boundaries are crossed.
    const next = rng(seed);
    const all = images(300, next);
    const dir = mkdtempSync(join(tmpdir(), 'tlx-chunks-'));
    const entries = await Promise.all(Array.from(all.labels, async (label, i) => {
      const file = join(dir, `${i}.png`);
      await sharp(Buffer.from(all.pixels.subarray(i * 100, (i + 1) * 100)), { raw: { width: 10, height: 10, channels: 1 } }).png().toFile(file);
      return { file, label };
    }));
    const format = { size: [10, 10], channels: 1, resize: 'nearest', background: 'white' } as const;
    const files = filesSet((await checkFiles(entries, format, { skip: false })).kept, format, 3);
    const pick = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
    const split = <T extends Images>(set: T) => ({ train: pickImages(set, pick(0, 270), (l) => l, 3), validation: pickImages(set, pick(270, 285), (l) => l, 3), test: pickImages(set, pick(285, 300), (l) => l, 3) });
    const model = buildTargetModel(source(), { cut: 'flat', frozen: ['conv1', 'bn', 'pool'], head: [{ dense: { units: 8 } }], classes: 3 });
    const options = { scale: pixelScale('0..1', 1), budget: 2 ** 30 };
    const fromPixels = await frozenFeatureView(model, targetExamples(split(all)), options);
    const fromFiles = await frozenFeatureView(model, targetExamples(split(files)), options);
    expect(fromFiles.cache).toEqual(fromPixels.cache);
    for (const part of ['train', 'validation', 'test'] as const) {
      const every = pick(0, fromPixels.inputs[part].count);
      expect(fromFiles.inputs[part].labels).toEqual(fromPixels.inputs[part].labels);
      expect(fromFiles.inputs[part].batch(every).dataSync()).toEqual(fromPixels.inputs[part].batch(every).dataSync());
    }
    // Streamed (not cached), the files are decoded into the same pixels.
    const streamed = await frozenFeatureView(model, targetExamples(split(files)), { ...options, budget: false });
    expect(streamed.inputs.test.batch(pick(0, 15)).dataSync()).toEqual((await frozenFeatureView(model, targetExamples(split(all)), { ...options, budget: false })).inputs.test.batch(pick(0, 15)).dataSync());
  }, 60_000);

  it('stays off when nothing frozen comes first, when images are augmented, or over the budget', async () => {
    const next = rng(seed);
    const sets = targetExamples({ train: images(6, next), validation: images(3, next), test: images(3, next) });
    const build = (frozen: string[]) => buildTargetModel(source(), { cut: 'flat', frozen, head: [], classes: 3 });
    const scale = pixelScale('0..1', 1);
    expect((await frozenFeatureView(build([]), sets, { scale, budget: 2 ** 30 })).cache).toEqual({ off: 'no frozen layer comes first' });
    expect((await frozenFeatureView(build(['conv1']), sets, { scale, budget: 2 ** 30, augment: { flip: true } })).cache)
      .toEqual({ off: 'training images are augmented (train.augment)' });
    // conv1's output: 8x8x4 floats per example, 12 examples = 12,288 bytes.
    expect((await frozenFeatureView(build(['conv1']), sets, { scale, budget: 12_288 })).cache).toEqual({ boundary: 'conv1', mib: 0 });
    expect((await frozenFeatureView(build(['conv1']), sets, { scale, budget: 12_287 })).cache).toMatchObject({ off: expect.stringMatching(/over run.cacheBudget/) });
  });

  it('a frozen layer feeding trainable layers through two branches is not split; a frozen residual block is', () => {
    const input = tfl.input({ shape: [6] });
    const a = tfl.layers.dense({ units: 4, name: 'a', trainable: false }).apply(input) as tfl.SymbolicTensor;
    const b = tfl.layers.dense({ units: 4, name: 'b', trainable: false }).apply(input) as tfl.SymbolicTensor;
    const two = tfl.layers.add().apply([tfl.layers.dense({ units: 2 }).apply(a) as tfl.SymbolicTensor, tfl.layers.dense({ units: 2 }).apply(b) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
    expect(splitFrozenPrefix(tfl.model({ inputs: input, outputs: two }))).toEqual({ ok: false, reason: 'the frozen layers feed the trainable ones through 2 tensors' });

    const joined = tfl.layers.add({ name: 'join' }).apply([a, b]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 3, name: 'top' }).apply(joined) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const split = splitFrozenPrefix(model);
    if (!split.ok) throw new Error(split.reason);
    expect(split.boundary).toBe('join');
    const x = tf.tensor2d(Float32Array.from({ length: 12 }, rng(seed)), [2, 6]);
    const whole = model.predict(x) as tf.Tensor;
    const parts = split.suffix.predict(split.prefix.predict(x) as tf.Tensor) as tf.Tensor;
    expect(Array.from(parts.dataSync())).toEqual(Array.from(whole.dataSync()));
  });
});
