import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { biGruBlock, TEXT_ARCHITECTURES } from '../../../src/models/architectures/text-index.js';
import { wasmAndCpu } from '../../support/backends.js';
import { randomInt, relativeError, rng, testSeed } from '../../support/random.js';
import { atTwoLengths, expectRoundTrip, padded, sentences } from './text-support.js';

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('wasm');
});

const OPTIONS = { vocabulary: 40, maxLength: 10, dim: 5, classes: 3, units: 4 };

describe('text-bigru', () => {
  it('token ids in, both directions\' final states as features', () => {
    const model = TEXT_ARCHITECTURES['text-bigru'](OPTIONS);
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    expect(model.layers.map((l) => l.name)).toEqual(['tokens', 'embedding', 'features_mask', 'features', 'dropout', 'predictions']);
    expect(model.getLayer('features').outputShape).toEqual([null, 8]);
    model.dispose();
  });

  it('the output for a sentence does not depend on the padding after it', () => {
    const seed = testSeed();
    const next = rng(seed);
    const batch = sentences(next, 6, OPTIONS.maxLength, OPTIONS.vocabulary);
    const { short, long } = atTwoLengths('text-bigru', OPTIONS, batch, OPTIONS.maxLength + randomInt(next, 1, 12));
    expect(relativeError(long, short), `seed ${seed}`).toBeLessThan(1e-5);
  });

  // Without the mask the backward GRU would start in the padding: the check above must be able to fail.
  it('without ids (no mask) the padding does change the output', () => {
    const seed = testSeed();
    const next = rng(seed);
    const build = (length: number) => {
      const ids = tfl.input({ shape: [length], dtype: 'int32' });
      const x = tfl.layers.embedding({ inputDim: 40, outputDim: 5, name: 'e' }).apply(ids) as tfl.SymbolicTensor;
      return tfl.model({ inputs: ids, outputs: biGruBlock(x, { name: 'g', units: 4 }) });
    };
    const [a, b] = [build(10), build(16)];
    b.setWeights(a.getWeights());
    const batch = sentences(next, 4, 8, 40);
    const ra = tf.tidy(() => (a.predict(padded(batch, 10)) as tf.Tensor).dataSync());
    const rb = tf.tidy(() => (b.predict(padded(batch, 16)) as tf.Tensor).dataSync());
    expect(relativeError(rb, ra), `seed ${seed}`).toBeGreaterThan(1e-3);
  });

  it('saves and loads with its custom layer', async () => {
    const next = rng(testSeed());
    const model = TEXT_ARCHITECTURES['text-bigru'](OPTIONS);
    const ids = padded(sentences(next, 4, OPTIONS.maxLength, OPTIONS.vocabulary), OPTIONS.maxLength);
    await expectRoundTrip(model, ids, ['TlxTokenMask', 'Bidirectional']);
    ids.dispose();
    model.dispose();
  });
});
