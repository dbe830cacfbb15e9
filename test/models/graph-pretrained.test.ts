import * as tf from '@tensorflow/tfjs-core';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/init-backend.js';
import { cutNames, disposeSource, featureExtractor, loadSourceModel, type SourceModel, sourceInputShape } from '../../src/models/source-model.js';
import { GRAPH_SCRATCH_UNAVAILABLE } from '../../src/plan/tasks.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { photoStamps, pretrainedModel } from '../support/optional.js';

// The real GraphModel of the issue: nsfwjs's mobilenet_v2_mid (MobileNetV2 1.4 at
// 224 px, uint8-quantized weights, converted by tensorflowjs_converter 1.7) as a
// frozen feature extractor, then a tiny run on real photographs. Skipped, saying
// why, where scripts/fetch-pretrained.mjs or the photographs have not been installed.

const mid = pretrainedModel('mobilenet_v2_mid');
const photos = photoStamps();
const BIN = resolve('dist/src/cli/bin.js');
const cli = promisify(execFile);
const FEATURES = 'feature_vector/SpatialSqueeze';

describe.runIf(mid.available)(`the real mobilenet_v2_mid graph model ${mid.label}`, () => {
  let source: SourceModel;

  beforeAll(async () => {
    await initBackend('wasm');
    source = await loadSourceModel(resolve(mid.modelJson));
  });
  afterAll(() => disposeSource(source));

  it('is a graph of 70 computation nodes taking 224x224x3 images', () => {
    expect(source.kind).toBe('graph');
    expect(sourceInputShape(source)).toEqual([224, 224, 3]);
    expect(cutNames(source)).toHaveLength(70);
  });

  it('a cut node gives features of its shape: 1792 at the feature vector, 1x1x1792 at the pooling before it; its own head still gives probabilities', () => {
    const images = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 3);
    const shape = (cut: string | number) => tf.tidy(() => featureExtractor(source, cut).forward(images).shape);
    expect(shape(FEATURES)).toEqual([2, 1792]);
    expect(shape('Logits/AvgPool')).toEqual([2, 1, 1, 1792]);
    // The dequantized weights compute what the model was trained to: rows of its softmax sum to 1, not NaN.
    const sums = tf.tidy(() => tf.sum(featureExtractor(source, 'Identity').forward(images), 1).arraySync() as number[]);
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    images.dispose();
  });

  it('tlx inspect (built binary) lists its nodes with output shapes, and the signature output', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const { stdout } = await cli('node', [BIN, 'inspect', mid.modelJson], { env: { ...process.env, TLX_BACKEND: 'wasm' }, maxBuffer: 2 ** 24 });
    const row = (end: string) => stdout.split('\n').find((l) => l.includes(`/${end} `))?.trim().split(/\s{2,}/);
    expect(row(FEATURES)?.slice(2, 4)).toEqual(['Squeeze', '[N,1792]']);
    expect(row('MobilenetV2/Conv/Relu6')?.slice(2, 5)).toEqual(['_FusedConv2D', '[N,112,112,48]', '1344']);
    expect(stdout).toMatch(/^70 nodes, \d+ parameters, all frozen .*; input \[N,224,224,3\]; signature outputs: Identity:0 \[N,5\]$/m);
  });
});

/** `count` photographs of a stamps category (not cartoons, not mirrored copies), in name order. */
function photosOf(category: string, count: number): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'cartoon') walk(path);
      } else if (name.endsWith('.png') && !name.includes('_mirror')) found.push(path);
    }
  };
  walk(join(photos.dir, category));
  return found.slice(0, count);
}

describe.runIf(mid.available && photos.available)(`tlx run on mobilenet_v2_mid and real photographs ${mid.label} ${photos.label}`, () => {
  it('freeze all, 1 epoch: the head trains on features computed once, the linear probe scores them, the scratch baseline is recorded unavailable', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'tlx-graph-photos-'));
    // Copies, not links: three classes of four photographs.
    for (const category of ['animals', 'food', 'vehicles']) {
      mkdirSync(join(dir, 'photos', category), { recursive: true });
      for (const file of photosOf(category, 4)) copyFileSync(file, join(dir, 'photos', category, basename(file)));
    }
    writeFileSync(join(dir, 'photos.yaml'), `name: graph-photos
source:
  model: ${resolve(mid.modelJson)}
  cut: ${FEATURES}
target:
  data: { dataset: imagefolder, path: photos, validation: 1, test: 1 }
transfer:
  freeze: all
train: { epochs: 1, batchSize: 2 }
indicators:
  transferOnly: { probe: linear }
`);
    const { stdout } = await cli('node', [BIN, 'run', 'photos.yaml', '--cache', join(dir, 'cache')], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
    expect(stdout).toContain('1 trials run, 0 already done, 0 failed; backend wasm');
    // No scratch to compare with; on 3 test images the head is at chance unless all 3 are right (p < 0.05 only at 3/3).
    const row = stdout.match(/\(no grid\)\s+1\s+(\d\.\d{3})\s+(\d\.\d{3})\s+unavailable\s+-\s+(unavailable|transfer at chance)/);
    expect(row, stdout).not.toBeNull();
    expect(row![3]).toBe(Number(row![2]) === 1 ? 'unavailable' : 'transfer at chance');
    const runDir = join(dir, stdout.match(/results: (.*)/)![1]!);
    const [record] = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
    const boundary = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/feature_vector/SpatialSqueeze';
    // 12 photographs x 1792 floats.
    expect(record).toMatchObject({ status: 'ok', scratchUnavailable: GRAPH_SCRATCH_UNAVAILABLE, featureCache: [{ boundary, mib: 0.1 }] });
    expect(record!.frozen).toHaveLength(67); // the input and every node up to the feature vector
    expect(record!.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(3);
    const probe = record!.indicators!.transferOnly!;
    expect(probe.probe).toBe('linear');
    expect(probe.test.accuracy).toBeGreaterThanOrEqual(0);
    expect(record!.scratch).toBeUndefined();
  });
});
