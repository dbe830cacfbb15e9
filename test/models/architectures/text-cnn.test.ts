import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEXT_ARCHITECTURES, textCnnBlock } from '../../../src/models/architectures/text-index.js';
import { wasmAndCpu } from '../../support/backends.js';
import { randomInt, relativeError, rng, testSeed } from '../../support/random.js';
import { atTwoLengths, expectRoundTrip, padded, predict, sentences } from './text-support.js';

beforeAll(async () => {
  await wasmAndCpu();
  await tf.setBackend('wasm');
});

const OPTIONS = { vocabulary: 60, maxLength: 16, dim: 6, classes: 4, filters: 5 };

describe('text-cnn', () => {
  it('Kim\'s layers: widths 3, 4, 5, max over time, concatenated features, dropout, softmax', () => {
    const model = TEXT_ARCHITECTURES['text-cnn'](OPTIONS);
    expect(model.inputs[0]!.dtype).toBe('int32');
    expect(model.outputs[0]!.shape).toEqual([null, 4]);
    const names = model.layers.map((l) => l.name);
    for (const n of ['tokens', 'embedding', 'cnn_conv3', 'cnn_conv4', 'cnn_conv5', 'cnn_pool3', 'features', 'dropout', 'predictions']) {
      expect(names).toContain(n);
    }
    expect(model.getLayer('features').outputShape).toEqual([null, 15]);
    expect(model.getLayer('cnn_conv4').outputShape).toEqual([null, 13, 5]);
    expect(model.getLayer('dropout').getConfig().rate).toBe(0.5);
    expect(TEXT_ARCHITECTURES['text-cnn']({ ...OPTIONS, filters: undefined }).getLayer('features').outputShape).toEqual([null, 300]);
    model.dispose();
  });

  // Padding is zeroed before the convolutions and windows that start in it are left
  // out of the max: what holds is invariance once the padding covers the widest
  // window's overhang (maxLength >= length + 4 for widths up to 5).
  it('the output for a sentence does not depend on the padding after it, given width - 1 pads', () => {
    const seed = testSeed();
    const next = rng(seed);
    const batch = sentences(next, 6, OPTIONS.maxLength - 4, OPTIONS.vocabulary);
    const { short, long } = atTwoLengths('text-cnn', OPTIONS, batch, OPTIONS.maxLength + randomInt(next, 1, 20));
    expect(relativeError(long, short), `seed ${seed}`).toBeLessThan(1e-5);
  });

  it('a sentence that fills the input is not padded: its windows all count', () => {
    const seed = testSeed();
    const next = rng(seed);
    const full = [Array.from({ length: OPTIONS.maxLength }, () => randomInt(next, 1, OPTIONS.vocabulary - 1))];
    const model = TEXT_ARCHITECTURES['text-cnn'](OPTIONS);
    const features = tfl.model({ inputs: model.inputs, outputs: model.getLayer('cnn_pool3').output });
    const convs = tfl.model({ inputs: model.inputs, outputs: model.getLayer('cnn_conv3').output });
    const ids = padded(full, OPTIONS.maxLength);
    const maps = tf.tidy(() => tf.max(convs.predict(ids) as tf.Tensor, 1).dataSync());
    expect(relativeError(predict(features, ids), maps), `seed ${seed}`).toBe(0);
    ids.dispose();
    model.dispose();
  });

  it('textCnnBlock without ids is plain Kim: GlobalMaxPooling1D', () => {
    const input = tfl.input({ shape: [10, 4] });
    const out = textCnnBlock(input, { name: 'head', widths: [2, 3], filters: 7 });
    const model = tfl.model({ inputs: input, outputs: out });
    expect(out.shape).toEqual([null, 14]);
    expect(model.layers.map((l) => l.getClassName())).toContain('GlobalMaxPooling1D');
    expect(() => textCnnBlock(input, { name: 'wide', widths: [11] })).toThrow(/width 11, wider than its 10 positions/);
  });

  it('saves and loads with its custom layers', async () => {
    const next = rng(testSeed());
    const model = TEXT_ARCHITECTURES['text-cnn'](OPTIONS);
    const ids = padded(sentences(next, 4, OPTIONS.maxLength, OPTIONS.vocabulary), OPTIONS.maxLength);
    await expectRoundTrip(model, ids, ['TlxTokenMask', 'TlxMaskedMaxOverTime']);
    ids.dispose();
    model.dispose();
  });
});
