import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildVocabulary } from '../../src/data/text/tokenizer.js';
import { ModelError } from '../../src/models/model-error.js';
import { embeddedTokens } from '../../src/models/architectures/index.js';
import { embeddingWeights } from '../../src/models/embedding-weights.js';
import { saveModel } from '../../src/models/model-files.js';
import { featureExtractor, probeFeatures } from '../../src/models/source-model.js';
import { readTextInput, TEXT_INPUT_FILE, textInputFiles } from '../../src/models/text-input-file.js';
import { withVocabularySize } from '../../src/models/text-topology.js';
import { wasmAndCpu } from '../support/backends.js';
import { randomArray, randomInt, rng, testSeed } from '../support/random.js';
import { TOKENIZER } from '../support/tokenizer.js';

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('cpu');
});

const dir = mkdtempSync(join(tmpdir(), 'tlx-text-source-'));

describe('a text model carries its vocabulary', () => {
  const settings = { ...TOKENIZER, maxLength: 7, maxTokens: 50 };
  const vocabulary = buildVocabulary(['the film was good', 'the food was bad', 'good good'], settings);

  it('written beside model.json and read back the same; absent, the model reads images', async () => {
    const { ids, embedded } = embeddedTokens({ vocabulary: vocabulary.words.length, maxLength: 7, dim: 3, classes: 2 });
    const model = tfl.model({ inputs: ids, outputs: embedded });
    await saveModel(model, join(dir, 'text'), {}, textInputFiles({ vocabulary, settings }));
    const read = readTextInput(join(dir, 'text', 'model.json'))!;
    expect(read.settings).toEqual(settings);
    expect(read.vocabulary.words).toEqual(vocabulary.words);
    expect(Array.from(read.vocabulary.counts)).toEqual(Array.from(vocabulary.counts));
    expect([...read.vocabulary.index]).toEqual([...vocabulary.index]);
    expect(readTextInput(join(dir, 'images', 'model.json'))).toBeUndefined();
  });

  it('a damaged vocabulary is a ModelError naming the file, never its content', () => {
    for (const [name, text] of [['broken', '{"version": 1, "words": ['], ['other', '{"version": 1, "words": ["a"], "counts": [], "settings": {}}']]) {
      const folder = mkdtempSync(join(dir, name));
      writeFileSync(join(folder, TEXT_INPUT_FILE), text!);
      const error = (() => { try { readTextInput(join(folder, 'model.json')); } catch (e) { return e; } })();
      expect(error).toBeInstanceOf(ModelError);
      expect((error as Error).message).toContain(join(folder, TEXT_INPUT_FILE));
      expect((error as Error).message).not.toContain('"words"');
    }
  });

  it('a scratch twin of a text model has its embedding resized to another vocabulary, the rest unchanged', async () => {
    const { ids, embedded } = embeddedTokens({ vocabulary: 40, maxLength: 7, dim: 3, classes: 2 });
    const model = tfl.model({ inputs: ids, outputs: tfl.layers.dense({ units: 2, name: 'out' }).apply(embedded) as tfl.SymbolicTensor });
    const topology = model.toJSON(null, false) as Parameters<typeof tfl.models.modelFromJSON>[0];
    const twin = await tfl.models.modelFromJSON(withVocabularySize(topology, 13) as typeof topology);
    expect(twin.getLayer('embedding').getWeights()[0]!.shape).toEqual([13, 3]);
    expect(twin.getLayer('out').getWeights()[0]!.shape).toEqual([3, 2]);
    expect(model.getLayer('embedding').getWeights()[0]!.shape).toEqual([40, 3]); // the original untouched
    expect(() => withVocabularySize({ config: { layers: [] } }, 5)).toThrow(/without an Embedding layer named 'embedding'/);
  });
});

describe('the transfer-only probe reads one vector per text', () => {
  it('features at a sequence cut are averaged over the words, padding left out (against float64 by hand)', () => {
    const seed = testSeed();
    const next = rng(seed);
    const [vocab, dim, length, batch] = [20, 5, 9, 6];
    const { ids, embedded } = embeddedTokens({ vocabulary: vocab, maxLength: length, dim, classes: 2 });
    const model = tfl.model({ inputs: ids, outputs: embedded });
    const table = randomArray(next, vocab * dim);
    model.getLayer('embedding').setWeights([tf.tensor2d(table, [vocab, dim])]);
    // Texts of 1..length words (ids 1..vocab-1), then padding 0.
    const tokens = new Int32Array(batch * length);
    const lengths = Array.from({ length: batch }, () => randomInt(next, 1, length));
    lengths.forEach((n, b) => { for (let t = 0; t < n; t++) tokens[b * length + t] = randomInt(next, 1, vocab - 1); });
    const extractor = featureExtractor({ kind: 'layers', model }, 'embedding');
    const pooled = tf.tidy(() => probeFeatures(extractor, tf.tensor2d(tokens, [batch, length], 'int32')).dataSync());
    expect(pooled.length).toBe(batch * dim);
    lengths.forEach((n, b) => {
      for (let k = 0; k < dim; k++) {
        let sum = 0;
        for (let t = 0; t < n; t++) sum += table[tokens[b * length + t]! * dim + k]!;
        expect(pooled[b * dim + k], `seed ${seed}, text ${b}`).toBeCloseTo(sum / n, 5);
      }
    });
    // Image features (float input) pass through unchanged.
    const flat = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3, name: 'd' })] });
    const x = tf.tensor2d(randomArray(next, 8), [2, 4]);
    expect(Array.from(probeFeatures(featureExtractor({ kind: 'layers', model: flat }, 'd'), x).dataSync()))
      .toEqual(Array.from((flat.predict(x) as tf.Tensor).dataSync()));
  });
});

describe('an embedding layer\'s initial weights from word vectors', () => {
  it('found words get their vector, the others U[-0.25, 0.25] by seed, padding zero; coverage counts training tokens', async () => {
    const seed = testSeed();
    const next = rng(seed);
    const dim = 4;
    const known = ['good', 'bad', 'film', 'food'];
    const vectors = new Map(known.map((w) => [w, Array.from(randomArray(next, dim), (v) => Math.round(v * 1e4) / 1e4)]));
    const file = join(dir, `vectors-${seed}.txt`);
    writeFileSync(file, `${[...vectors].map(([w, v]) => `${w} ${v.join(' ')}`).join('\n')}\n`);
    const vocabulary = buildVocabulary(['good film', 'bad food', 'good plot twist'], { ...TOKENIZER, maxLength: 5 });
    const places = { baseDir: dir, env: {}, cacheDir: join(dir, 'cache') };
    const spec = { file, maxDownloadMB: 1 };
    const weights = await embeddingWeights(spec, vocabulary, seed, places);
    expect(weights.dim).toBe(dim);
    const row = (w: number) => Array.from(weights.values.subarray(w * dim, (w + 1) * dim));
    expect(row(0)).toEqual([0, 0, 0, 0]);
    vocabulary.words.forEach((word, w) => {
      if (w === 0) return;
      if (vectors.has(word)) row(w).forEach((v, k) => expect(v, `seed ${seed}, ${word}`).toBeCloseTo(vectors.get(word)![k]!, 6));
      else row(w).forEach((v) => expect(Math.abs(v), `seed ${seed}, ${word}`).toBeLessThanOrEqual(0.25));
    });
    // 'plot' and 'twist' (1 token each) and unknown have no vector: 5 of the 7 training tokens are covered.
    expect(weights.stats).toMatchObject({ found: 4, vocabulary: vocabulary.words.length, dim, format: 'glove' });
    expect(weights.stats.coverage).toBeCloseTo(5 / 7, 12);
    // The same seed draws the same weights (from the cached matrix the second time); another seed others.
    expect(Array.from((await embeddingWeights(spec, vocabulary, seed, places)).values)).toEqual(Array.from(weights.values));
    const other = await embeddingWeights(spec, vocabulary, seed + 1, places);
    expect(row(vocabulary.index.get('plot')!)).not.toEqual(Array.from(other.values.subarray(vocabulary.index.get('plot')! * dim, (vocabulary.index.get('plot')! + 1) * dim)));
  });
});
