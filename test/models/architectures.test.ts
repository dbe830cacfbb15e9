import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { ARCHITECTURES, type ArchitectureName } from '../../src/models/architectures/index.js';
import { sourceLayerNames } from '../../src/models/layer-names.js';
import { layerNames } from '../../src/models/surgery.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it.each([
  ['keras-mnist-cnn', [28, 28, 1], ['conv1', 'flatten', 'predictions']],
  ['lenet5', [28, 28, 1], ['conv1', 'pool2', 'flatten', 'fc2']],
  ['resnet-mini', [32, 32, 3], ['stem_conv', 'stage2_block1_shortcut', 'stage3_block2_out', 'pool']],
  ['mobilenet-v1', [64, 64, 3], ['conv1', 'conv_dw_1', 'conv_pw_13_relu', 'conv_preds']],
  ['mobilenet-v2', [64, 64, 3], ['Conv1', 'block_1_expand', 'block_16_project_BN', 'out_relu', 'predictions']],
] as const)('%s on %j: named layers and an output per class', (name, shape, names) => {
  const model = ARCHITECTURES[name as ArchitectureName]({ inputShape: shape, classes: 6 });
  expect(model.outputs[0]!.shape).toEqual([null, 6]);
  for (const n of names) expect(layerNames(model)).toContain(n);
  model.dispose();
});

it('validation sees the layer names a run cuts and freezes by (input layers excluded)', () => {
  const data = { dataset: 'mnist' as const, validation: 0.1, test: 0.2, resize: 'bilinear' as const, skipUnreadable: false };
  const layers = sourceLayerNames({ pretrain: { architecture: 'resnet-mini', data, train: { epochs: 1, batchSize: 8, optimizer: 'adam', learningRate: 0.001 } }, cut: 0, input: { scale: '0..1' } }, '.');
  expect(layers).toMatchObject({ kind: 'layers' });
  const { names } = layers as { names: string[] };
  expect(names[0]).toBe('stem_conv');
  expect(names).not.toContain('input');
});
