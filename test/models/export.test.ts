import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { kerasMnistCnn } from '../../src/models/architectures/keras-mnist-cnn.js';
import { exportModel, readExportInfo } from '../../src/models/export-model.js';
import { loadModel } from '../../src/models/model-files.js';
import { buildTargetModel } from '../../src/models/target-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('an exported target model reloads with the same predictions (within 1e-5), labels and preprocessing', async () => {
  const model = buildTargetModel(kerasMnistCnn({ classes: 5 }), { cut: 'flatten', frozen: ['conv1'], head: [{ dense: { units: 16 } }], classes: 3 });
  const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 9);
  const before = (model.predict(x) as tf.Tensor).dataSync();
  const dir = join(mkdtempSync(join(tmpdir(), 'tlx-export-')), 'best');
  await exportModel(model, dir, ['five', 'six', 'seven'], { inputShape: [28, 28, 1], resize: 'bilinear', scale: '0..1' }, { trial: 't' });
  const again = await loadModel(join(dir, 'model.json'));
  const after = (again.predict(x) as tf.Tensor).dataSync();
  before.forEach((v, i) => expect(Math.abs(v - after[i]!)).toBeLessThan(1e-5));
  expect(readExportInfo(dir)).toEqual({ labels: ['five', 'six', 'seven'], preprocessing: { inputShape: [28, 28, 1], resize: 'bilinear', scale: '0..1' } });
});
