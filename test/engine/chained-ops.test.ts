import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/init-backend.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('chained Tensor methods tfjs-layers calls', () => {
  it("a Keras-default GRU builds (its Orthogonal recurrent kernel), and that kernel is orthogonal", () => {
    const units = 6;
    const model = tfl.sequential({ layers: [tfl.layers.gru({ units, inputShape: [4, 3] })] });
    const out = tf.tidy(() => (model.predict(tf.ones([2, 4, 3])) as tf.Tensor).shape);
    expect(out).toEqual([2, units]);
    // The recurrent kernel is [units, 3 * units] (the three gates side by side), orthogonal as a whole: its rows are orthonormal.
    const recurrent = model.layers[0]!.getWeights()[1]!;
    expect(recurrent.shape).toEqual([units, 3 * units]);
    const gram = tf.tidy(() => tf.matMul(recurrent, recurrent, false, true).arraySync() as number[][]);
    // W W^T = I within float32 rounding.
    gram.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 4)));
    model.dispose();
  });

  it('attached as the ops of the same name', () => {
    const x = tf.tensor2d([[1, -2, 3], [-4, 5, -6]]);
    const chained = x as unknown as Record<string, (...args: unknown[]) => tf.Tensor>;
    expect(Array.from(chained.flatten!().dataSync())).toEqual([1, -2, 3, -4, 5, -6]);
    expect(chained.transpose!().shape).toEqual([3, 2]);
    expect(Array.from(chained.sign!().dataSync())).toEqual([1, -1, 1, -1, 1, -1]);
    expect(Array.from(chained.stridedSlice!([0, 0], [2, 3], [1, 2]).dataSync())).toEqual([1, 3, -4, -6]);
    expect(chained.reshape!([3, 2]).shape).toEqual([3, 2]);
  });
});
