import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskedMeanPool, TEXT_ARCHITECTURES } from '../../../src/models/architectures/text-index.js';
import { wasmAndCpu } from '../../support/backends.js';
import { randomArray, randomInt, relativeError, rng, testSeed } from '../../support/random.js';
import { atTwoLengths, expectRoundTrip, padded, predict, sentences } from './text-support.js';

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('wasm');
});

const OPTIONS = { vocabulary: 50, maxLength: 12, dim: 8, classes: 3 };

describe('text-bag', () => {
  it('token ids in, a distribution over the classes out, named layers', () => {
    const model = TEXT_ARCHITECTURES['text-bag'](OPTIONS);
    expect(model.inputs[0]!.shape).toEqual([null, 12]);
    expect(model.inputs[0]!.dtype).toBe('int32');
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    expect(model.getLayer('features').outputShape).toEqual([null, 8]);
    expect(model.layers.map((l) => l.name)).toEqual(['tokens', 'embedding', 'features', 'predictions']);
    model.dispose();
  });

  it('features are the mean of the sentence\'s vectors, padding left out', () => {
    const seed = testSeed();
    const next = rng(seed);
    const table = randomArray(next, OPTIONS.vocabulary * OPTIONS.dim);
    const model = TEXT_ARCHITECTURES['text-bag']({ ...OPTIONS, embeddings: table });
    const batch = sentences(next, 5, OPTIONS.maxLength, OPTIONS.vocabulary);
    batch.push([]); // an empty sentence: 0, not NaN
    const ids = padded(batch, OPTIONS.maxLength);
    const features = tfl.model({ inputs: model.inputs, outputs: model.getLayer('features').output });
    const actual = predict(features, ids);
    const expected = new Float32Array(batch.length * OPTIONS.dim);
    batch.forEach((s, i) => {
      for (const id of s) for (let k = 0; k < OPTIONS.dim; k++) expected[i * OPTIONS.dim + k]! += table[id * OPTIONS.dim + k]! / s.length;
    });
    expect(relativeError(actual, expected), `seed ${seed}`).toBeLessThan(1e-6);
    expect(actual.slice(-OPTIONS.dim).every((v) => v === 0)).toBe(true);
    ids.dispose();
    model.dispose();
  });

  it('the output for a sentence does not depend on the padding after it', () => {
    const seed = testSeed();
    const next = rng(seed);
    const batch = sentences(next, 6, OPTIONS.maxLength, OPTIONS.vocabulary);
    const { short, long } = atTwoLengths('text-bag', OPTIONS, batch, OPTIONS.maxLength + randomInt(next, 1, 20));
    expect(relativeError(long, short), `seed ${seed}`).toBeLessThan(1e-6);
  });

  it('maskedMeanPool is a head on any sequence of vectors', () => {
    const ids = tfl.input({ shape: [4], dtype: 'int32' });
    const vectors = tfl.layers.embedding({ inputDim: 10, outputDim: 3 }).apply(ids) as tfl.SymbolicTensor;
    const pooled = maskedMeanPool(vectors, { name: 'bag', ids });
    expect(pooled.shape).toEqual([null, 3]);
  });

  it('rejects an embedding table of the wrong size', () => {
    expect(() => TEXT_ARCHITECTURES['text-bag']({ ...OPTIONS, embeddings: new Float32Array(7) }))
      .toThrow(/hold 7 numbers; a 50 x 8 table holds 400/);
  });

  it('saves and loads with its custom layer', async () => {
    const next = rng(testSeed());
    const model = TEXT_ARCHITECTURES['text-bag'](OPTIONS);
    const ids = padded(sentences(next, 4, OPTIONS.maxLength, OPTIONS.vocabulary), OPTIONS.maxLength);
    await expectRoundTrip(model, ids, ['TlxMaskedMeanPool']);
    ids.dispose();
    model.dispose();
  });
});
