import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FineTune } from '../../src/config/resolved.js';
import { pixelScale } from '../../src/data/images/batches.js';
import type { ImageSet } from '../../src/data/images/image-set.js';
import { fineTunePhase } from '../../src/execute/fine-tune-phase.js';
import { groupedLayers, unfreezeStages } from '../../src/models/layer-groups.js';
import { buildTargetModel } from '../../src/models/target-model.js';
import { withSeededMathRandom } from '../../src/random.js';
import type { CurvePoint } from '../../src/train/fit.js';
import { frozenFeatureView } from '../../src/train/frozen-features.js';
import { targetExamples } from '../../src/train/inputs.js';
import { rng } from '../support/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two classes told apart by brightness. */
function set(n: number, seed: number): ImageSet {
  const next = rng(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const pixels = Uint8Array.from({ length: n * 16 }, (_, k) => (labels[Math.floor(k / 16)] ? 150 : 50) + Math.floor(next() * 60));
  return { pixels, labels, shape: [4, 4, 1], classes: 2 };
}

// Source: flatten (no weights), d1, d2, d3 (the cut), all frozen; head: the output.
const SOURCE = ['flat', 'd1', 'd2', 'd3'];
function model(): tfl.LayersModel {
  const source = tfl.sequential({ layers: [
    tfl.layers.flatten({ inputShape: [4, 4, 1], name: 'flat' }),
    tfl.layers.dense({ units: 6, activation: 'tanh', name: 'd1' }),
    tfl.layers.dense({ units: 6, activation: 'tanh', name: 'd2' }),
    tfl.layers.dense({ units: 6, activation: 'tanh', name: 'd3' }),
  ] });
  return buildTargetModel(source, { cut: 'd3', frozen: SOURCE, head: [], classes: 2 });
}

const weightsOf = (m: tfl.LayersModel, name: string) => Float32Array.from(m.getLayer(name).getWeights().flatMap((w) => Array.from(w.dataSync())));
const moved = (a: Float32Array, b: Float32Array) => a.some((x, i) => x !== b[i]);

describe('gradual unfreezing', () => {
  it('unfreezes one group per stage from the top; a group does not move before its stage', async () => {
    const m = model();
    const images = targetExamples({ train: set(32, 1), validation: set(16, 2), test: set(16, 3) });
    const view = () => frozenFeatureView(m, images, { scale: pixelScale('-1..1', 1), budget: 2 ** 24 });
    const fineTune: FineTune = { unfreeze: 'all', epochs: 4, learningRate: 0.05, gradual: { epochsPerStage: 1, layersPerStage: 1 } };
    const start = Object.fromEntries(SOURCE.map((n) => [n, weightsOf(m, n)]));
    // After each epoch: which layers are trainable and which have moved from the start.
    const seen: { epoch: number; stage?: number; trainable: string[]; moved: string[] }[] = [];
    const after: CurvePoint = { epoch: 1, phase: 1, loss: 1, valLoss: 1, val: {}, steps: 4, examples: 32, seconds: 0 };
    const result = await withSeededMathRandom(3, () => fineTunePhase(m, {
      fineTune, unfrozen: SOURCE, train: { epochs: 1, batchSize: 8, optimizer: 'sgd', learningRate: 0.5 } as never,
      metrics: ['accuracy'], after, view,
      onEpoch: (p) => seen.push({
        epoch: p.epoch, ...(p.stage ? { stage: p.stage } : {}),
        trainable: SOURCE.filter((n) => m.getLayer(n).trainable),
        moved: SOURCE.filter((n) => moved(weightsOf(m, n), start[n]!)),
      }),
    }));
    expect(seen).toEqual([
      { epoch: 2, stage: 1, trainable: ['d3'], moved: ['d3'] },
      { epoch: 3, stage: 2, trainable: ['d2', 'd3'], moved: ['d2', 'd3'] },
      // The flatten layer has no weights: it goes with d1, the group above it.
      { epoch: 4, stage: 3, trainable: ['flat', 'd1', 'd2', 'd3'], moved: ['d1', 'd2', 'd3'] },
      { epoch: 5, stage: 3, trainable: ['flat', 'd1', 'd2', 'd3'], moved: ['d1', 'd2', 'd3'] },
    ]);
    expect(result.curve.map((p) => [p.epoch, p.phase, p.stage, p.steps])).toEqual([[2, 2, 1, 8], [3, 2, 2, 12], [4, 2, 3, 16], [5, 2, 3, 20]]);
    expect(result.stages).toEqual([['d3'], ['d2'], ['d1', 'flat']]);
    expect(result.unfrozen).toEqual(SOURCE);
    // Each stage trained on the features of what was still constant below it (flatten has no weights).
    expect(result.featureCache.map((c) => ('boundary' in c ? c.boundary : c.off))).toEqual(['d2', 'd1', 'flat']);
    tf.disposeVariables();
  });

  it.each([
    { name: 'not gradual: one stage of every layer', fineTune: { unfreeze: 'all', epochs: 1 }, expected: { ok: true, value: [SOURCE] } },
    { name: 'two weighted layers per stage', fineTune: { unfreeze: 'all', epochs: 2, gradual: { epochsPerStage: 1, layersPerStage: 2 } },
      expected: { ok: true, value: [['d3', 'd2'], ['d1', 'flat']] } },
    { name: 'too few epochs for every stage', fineTune: { unfreeze: 'all', epochs: 5, gradual: { epochsPerStage: 2, layersPerStage: 1 } },
      expected: { ok: false, problem: {
        message: 'gradual unfreezing of 4 layers takes 3 stages of 2 epochs, 6 epochs, but transfer.fineTune.epochs is 5',
        hint: 'set transfer.fineTune.epochs to 6 or more, or unfreeze more layers per stage (gradual.layersPerStage: 2)',
      } } },
  ] as { name: string; fineTune: FineTune; expected: unknown }[])('stages: $name', ({ fineTune, expected }) => {
    const m = model();
    expect(unfreezeStages(groupedLayers(m, SOURCE), fineTune)).toEqual(expected);
    tf.disposeVariables();
  });
});
