import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, expect, it } from 'vitest';
import { layerNames, resolveFreeze } from '../../src/models/surgery.js';
import { buildTargetModel } from '../../src/models/target-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function source(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ name: 'conv', inputShape: [8, 8, 1], filters: 4, kernelSize: 3 }),
      tfl.layers.batchNormalization({ name: 'bn' }),
      tfl.layers.reLU({ name: 'relu' }),
      tfl.layers.flatten({ name: 'flat' }),
      tfl.layers.dense({ name: 'out', units: 3, activation: 'softmax' }),
    ],
  });
}

const snapshot = (layer: tfl.layers.Layer) => layer.getWeights().map((w) => Array.from(w.dataSync()));

it.each([
  ['frozen', ['conv', 'bn'], true],
  ['trainable', [], false],
] as const)('batch norm %s: weights and moving statistics after training are bitwise %s', async (_, frozen, unchanged) => {
  const src = source();
  const target = buildTargetModel(src, { cut: 'flat', frozen: [...frozen], head: [{ dense: { units: 5, activation: 'relu' } }], classes: 2 });
  const before = { bn: snapshot(target.getLayer('bn')), conv: snapshot(target.getLayer('conv')) };
  target.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 5);
  const y = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2));
  await target.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
  const after = { bn: snapshot(target.getLayer('bn')), conv: snapshot(target.getLayer('conv')) };
  if (unchanged) expect(after).toEqual(before);
  else {
    expect(after.bn[2]).not.toEqual(before.bn[2]); // moving mean moved
    expect(after.conv).not.toEqual(before.conv);
  }
});

it('freeze forms resolve to layer lists', () => {
  const names = layerNames(source());
  const prefix = names.slice(0, 4);
  expect(resolveFreeze(prefix, names, 'all')).toEqual({ ok: true, value: ['conv', 'bn', 'relu', 'flat'] });
  expect(resolveFreeze(prefix, names, 'none')).toEqual({ ok: true, value: [] });
  expect(resolveFreeze(prefix, names, 2)).toEqual({ ok: true, value: ['conv', 'bn'] });
  expect(resolveFreeze(prefix, names, ['bn'])).toEqual({ ok: true, value: ['bn'] });
  expect(resolveFreeze(prefix, names, { upTo: 'bn' })).toEqual({ ok: true, value: ['conv', 'bn'] });
  expect(resolveFreeze(prefix, names, { match: '^(conv|relu)$' })).toEqual({ ok: true, value: ['conv', 'relu'] });
  expect(resolveFreeze(prefix, names, { match: '(' })).toMatchObject({ ok: false });
  expect(resolveFreeze(prefix, names, 9)).toMatchObject({ ok: false });
});

it('head layers: every kind, a regularized dense, and an output over the target classes', () => {
  const target = buildTargetModel(source(), {
    cut: 'relu', frozen: [], classes: 7,
    head: [
      { batchNormalization: {} }, { globalAveragePooling2d: {} }, { dense: { units: 6, l2: 0.01 } }, { activation: { activation: 'tanh' } },
      { dropout: { rate: 0.3 } },
    ],
  });
  expect(target.layers.map((l) => l.getClassName()).slice(-6)).toEqual(['BatchNormalization', 'GlobalAveragePooling2D', 'Dense', 'Activation', 'Dropout', 'Dense']);
  expect(target.outputs[0]!.shape).toEqual([null, 7]);
  expect((target.getLayer('head_2_dense').getConfig().kernelRegularizer as { className: string }).className).toBe('L1L2');
});
