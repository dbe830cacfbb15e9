import '@tensorflow/tfjs-backend-cpu';
import { expect, it } from 'vitest';
import { kerasMnistCnn } from '../../src/models/architectures/keras-mnist-cnn.js';
import { mobilenetV1 } from '../../src/models/architectures/mobilenet-v1.js';
import { forwardFlops } from '../../src/models/flops.js';

it('counts the Keras MNIST CNN layer by layer', () => {
  const conv1 = 26 * 26 * (3 * 3 * 1) * 32;
  const conv2 = 24 * 24 * (3 * 3 * 32) * 32;
  const dense = 12 * 12 * 32 * 128;
  const out = 128 * 10;
  expect(forwardFlops(kerasMnistCnn({ classes: 10 }))).toBe(2 * (conv1 + conv2 + dense + out));
});

it('MobileNet v1 a=0.25 at 96x96 has the published shape and Keras layer names', () => {
  const model = mobilenetV1({ alpha: 0.25, size: 96, classes: 10 });
  const names = model.layers.map((l) => l.name);
  for (const name of ['conv1', 'conv_dw_1', 'conv_pw_1', 'conv_pw_13_relu', 'conv_preds']) expect(names).toContain(name);
  expect(model.getLayer('conv_pw_13_relu').outputShape).toEqual([null, 3, 3, 256]);
  // conv1 is a strided 3x3 over 3 channels; the depthwise and pointwise counts dominate.
  const conv1 = 48 * 48 * 9 * 3 * 8;
  expect(forwardFlops(model)).toBeGreaterThan(2 * conv1);
  model.dispose();
});

it('counts Conv1D over its steps, not its filters', async () => {
  const { textCnn } = await import('../../src/models/architectures/text-cnn.js');
  const model = textCnn({ vocabulary: 100, maxLength: 20, dim: 8, classes: 2, widths: [3, 5], filters: 4 });
  const convs = 18 * 3 * 8 * 4 + 16 * 5 * 8 * 4;
  expect(forwardFlops(model)).toBe(2 * (convs + 8 * 2));
  model.dispose();
});
