import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/init-backend.js';
import { type FeatureSet, probeScore, type ProbeData } from '../../src/indicators/probe.js';
import { loadModel } from '../../src/models/model-files.js';
import { truncate } from '../../src/models/target-model.js';
import { photoStamps, pretrainedModel } from '../support/optional.js';
import { rng, testSeed } from '../support/random.js';

// The probes on real features: the published MobileNetV2 (ImageNet-initialised,
// fine-tuned on another task) on real photographs of five categories, few labels
// per class. Nearest-centroid is the baseline a regularised logistic probe must
// beat there: few examples in 1,280 dimensions are where an unregularised fit
// overfits and a strength chosen on held-out data pays.

const model = pretrainedModel('mobilenet_v2');
const photos = photoStamps();
const CATEGORIES = ['animals', 'food', 'plants', 'household', 'vehicles'];
const PER_CLASS = 14;
const [TRAIN, VALIDATION] = [4, 4];

function photoFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'cartoon' ? [] : photoFiles(path);
    return name.endsWith('.png') && !name.includes('_mirror') ? [path] : [];
  });
}

describe.runIf(model.available && photos.available)(`probes on real MobileNetV2 features of real photographs ${model.available ? photos.label : model.label}`, () => {
  let features: Float32Array;
  let labels: Int32Array;
  let width: number;

  beforeAll(async () => {
    await initBackend('wasm');
    // Spread over each category's sub-folders (every k-th file), not its first folder.
    const files = CATEGORIES.map((c) => {
      const all = photoFiles(join(photos.dir, c));
      return Array.from({ length: PER_CLASS }, (_, i) => all[Math.floor((i * all.length) / PER_CLASS)]!);
    });
    labels = Int32Array.from(files.flatMap((f, c) => f.map(() => c)));
    const pixels = await Promise.all(files.flat().map((f) =>
      sharp(f).flatten({ background: '#ffffff' }).resize(224, 224, { fit: 'fill' }).removeAlpha().raw().toBuffer()));
    const source = await loadModel(model.modelJson);
    const extractor = truncate(source, 'flatten_1');
    const out: number[] = [];
    for (let b = 0; b < pixels.length; b += 10) {
      const batch = pixels.slice(b, b + 10);
      const y = tf.tidy(() => extractor.predict(tf.sub(tf.div(tf.tensor4d(Float32Array.from(Buffer.concat(batch)), [batch.length, 224, 224, 3]), 127.5), 1)) as tf.Tensor);
      out.push(...(y.dataSync() as Float32Array));
      y.dispose();
    }
    source.dispose();
    features = Float32Array.from(out);
    width = features.length / labels.length;
  }, 120_000);

  const subset = (rows: number[]): FeatureSet => {
    const f = new Float32Array(rows.length * width);
    rows.forEach((r, i) => f.set(features.subarray(r * width, (r + 1) * width), i * width));
    return { features: f, width, labels: Int32Array.from(rows, (r) => labels[r]!), classes: CATEGORIES.length };
  };

  it(`logistic beats nearest-centroid on average over 10 splits of ${TRAIN} + ${VALIDATION} labels per class`, async () => {
    expect(width).toBe(1280);
    const seed = testSeed();
    const next = rng(seed);
    const scores = { logistic: [] as number[], centroid: [] as number[] };
    for (let split = 0; split < 10; split++) {
      const parts: number[][] = [[], [], []];
      for (let c = 0; c < CATEGORIES.length; c++) {
        const rows = Array.from({ length: PER_CLASS }, (_, i) => c * PER_CLASS + i).map((r) => [next(), r] as const).sort((a, b) => a[0] - b[0]).map(([, r]) => r);
        parts[0]!.push(...rows.slice(0, TRAIN));
        parts[1]!.push(...rows.slice(TRAIN, TRAIN + VALIDATION));
        parts[2]!.push(...rows.slice(TRAIN + VALIDATION));
      }
      const data: ProbeData = { train: subset(parts[0]!), validation: subset(parts[1]!), test: subset(parts[2]!) };
      for (const kind of ['logistic', 'centroid'] as const) scores[kind].push((await probeScore(data, { kind, k: 1, metrics: ['accuracy'] })).accuracy!);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [logistic, centroid] = [mean(scores.logistic), mean(scores.centroid)];
    const detail = `seed ${seed}: logistic ${scores.logistic.map((s) => s.toFixed(2))}, centroid ${scores.centroid.map((s) => s.toFixed(2))}`;
    // Chance is 0.2; the features carry the categories, and the logistic probe reads more of it.
    expect(centroid, detail).toBeGreaterThan(0.25);
    expect(logistic, detail).toBeGreaterThan(centroid);
  }, 180_000);
});
