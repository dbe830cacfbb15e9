import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ARCHITECTURES } from '../../src/models/architectures/index.js';
import { makeDivisible, mobilenetV2 } from '../../src/models/architectures/mobilenet-v2.js';
import { readModelJson } from '../../src/models/model-files.js';
import { pretrainedModel } from '../support/optional.js';

// The built-in MobileNetV2 against Keras': layer for layer the published model's
// backbone (names, wiring, output shapes, parameters, settings), and Keras' width
// rules at other alphas and sizes. Symbolic shapes only: nothing is trained or run.

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface LayerRow {
  readonly name: string;
  readonly type: string;
  readonly inputs: readonly string[];
  readonly shape: unknown;
  readonly params: number;
  readonly config: Record<string, unknown>;
}

// Settings a layer computes with; initializers, regularizers, names and dtypes aside.
const SETTINGS = ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'useBias', 'depthMultiplier', 'activation', 'momentum', 'epsilon', 'axis', 'center', 'scale', 'maxValue', 'dataFormat'];

/** Every layer up to and including `last` (inputs excluded), as the test compares them. */
function rows(model: tfl.LayersModel, last = 'out_relu'): LayerRow[] {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const end = layers.findIndex((l) => l.name === last);
  return layers.slice(0, end + 1).map((l) => {
    const config = l.getConfig();
    return {
      name: l.name,
      type: l.getClassName(),
      inputs: l.inboundNodes[0]!.inboundLayers.map((i) => i.name),
      shape: l.outputShape,
      params: l.countParams(),
      config: Object.fromEntries(SETTINGS.filter((k) => k in config).map((k) => [k, config[k]])),
    };
  });
}

const built: tfl.LayersModel[] = [];
const build = (...args: Parameters<typeof mobilenetV2>) => {
  const model = mobilenetV2(...args);
  built.push(model);
  return model;
};
afterAll(() => built.forEach((m) => m.dispose()));

const published = pretrainedModel('mobilenet_v2');

describe.runIf(published.available)(`at alpha 1 and 224 px, the published MobileNetV2's backbone ${published.label}`, () => {
  it('has the same layers up to out_relu: names, types, wiring, output shapes, parameters and settings', async () => {
    // The topology alone (weights are not read): Keras 2.2.4's MobileNetV2 and a 5-class head.
    const reference = await tfl.models.modelFromJSON({ modelTopology: readModelJson(published.modelJson).modelTopology as tf.io.ModelJSON['modelTopology'] });
    built.push(reference);
    const ours = rows(build({ alpha: 1, size: 224, classes: 5 }));
    const theirs = rows(reference);
    expect(theirs.at(-1)?.name).toBe('out_relu');
    expect(ours.map((r) => r.name)).toEqual(theirs.map((r) => r.name));
    ours.forEach((row, i) => expect(row, row.name).toEqual(theirs[i]));
    expect(ours.reduce((n, r) => n + r.params, 0)).toBe(2_257_984); // Keras' MobileNetV2(include_top=False)
  });
});

describe('Keras\' width rules at other alphas and sizes', () => {
  it.each([
    [8, 8], [11.2, 16], [16, 16], [5, 8], [12, 16], [44.8, 48], [1792, 1792], [33.6, 32], [36, 40],
  ])('_make_divisible(%d) = %d', (v, want) => {
    expect(makeDivisible(v)).toBe(want);
  });

  // Keras' MobileNetV2(alpha, input_shape=(size, size, 3), include_top=False):
  // first conv, the 17 blocks' outputs [channels, side], the last conv, parameters.
  it.each([
    {
      alpha: 0.35, size: 96, first: [48, 16], last: [3, 1280], params: 410_208,
      projects: [8, 8, 8, 16, 16, 16, 24, 24, 24, 24, 32, 32, 32, 56, 56, 56, 112], sides: [48, 24, 24, 12, 12, 12, 6, 6, 6, 6, 6, 6, 6, 3, 3, 3, 3],
    },
    {
      alpha: 1.4, size: 224, first: [112, 48], last: [7, 1792], params: 4_363_712,
      projects: [24, 32, 32, 48, 48, 48, 88, 88, 88, 88, 136, 136, 136, 224, 224, 224, 448], sides: [112, 56, 56, 28, 28, 28, 14, 14, 14, 14, 14, 14, 14, 7, 7, 7, 7],
    },
    {
      alpha: 0.5, size: 33, first: [17, 16], last: [2, 1280], params: 706_224, // odd sides pad on both edges
      projects: [8, 16, 16, 16, 16, 16, 32, 32, 32, 32, 48, 48, 48, 80, 80, 80, 160], sides: [17, 9, 9, 5, 5, 5, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2],
    },
  ])('alpha $alpha at $size px', ({ alpha, size, first, last, params, projects, sides }) => {
    const model = build({ alpha, size, classes: 3 });
    const out = (name: string) => model.getLayer(name).outputShape;
    expect(out('Conv1')).toEqual([null, first[0], first[0], first[1]]);
    const blocks = projects.map((_, i) => out(i === 0 ? 'expanded_conv_project_BN' : `block_${i}_project_BN`));
    expect(blocks).toEqual(projects.map((c, i) => [null, sides[i], sides[i], c]));
    expect(out('out_relu')).toEqual([null, last[0], last[0], last[1]]);
    expect(rows(model).reduce((n, r) => n + r.params, 0)).toBe(params);
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    expect(model.layers.slice(-2).map((l) => l.name)).toEqual(['global_average_pooling2d', 'predictions']);
  });

  it('a residual add where a block keeps its width and side, as in Keras (block_2_add ... block_15_add)', () => {
    const adds = build({ alpha: 0.35, size: 96, classes: 3 }).layers.filter((l) => l.getClassName() === 'Add').map((l) => l.name);
    expect(adds).toEqual([2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map((i) => `block_${i}_add`));
  });

  it('the registry builds it from the data\'s shape, non-square too, alpha 1 when absent', () => {
    const model = ARCHITECTURES['mobilenet-v2']({ inputShape: [64, 48, 1], classes: 4 });
    built.push(model);
    expect(model.inputs[0]!.shape).toEqual([null, 64, 48, 1]);
    expect(model.getLayer('out_relu').outputShape).toEqual([null, 2, 2, 1280]);
    expect(model.getLayer('Conv1').outputShape).toEqual([null, 32, 24, 32]);
  });
});

describe('an experiment file naming it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tlx-mobilenet-v2-'));
  const yaml = (cut: string) => `name: v2
source:
  pretrain:
    architecture: mobilenet-v2
    alpha: 0.35
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4] }
  cut: ${cut}
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9] }
transfer:
  freeze: { upTo: block_16_project_BN }
`;
  const validate = async (cut: string) => {
    const file = join(dir, `${cut}.yaml`);
    writeFileSync(file, yaml(cut));
    let err = '';
    const code = await main(['validate', file], { out: () => {}, err: (t) => { err += t; }, env: { ...process.env, TLX_BACKEND: 'cpu' }, cwd: dir });
    return { code, err };
  };

  it('validates with the cut out_relu and a freeze by Keras layer name', async () => {
    expect(await validate('out_relu')).toEqual({ code: 0, err: '' });
  });

  it('a misspelt Keras layer name is refused with the likely one', async () => {
    const out = await validate('out_relu6');
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/source\.cut: unknown layer 'out_relu6'/);
    expect(out.err).toMatch(/did you mean 'out_relu'\?/);
  });
});
