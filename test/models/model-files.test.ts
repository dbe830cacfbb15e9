import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kerasMnistCnn } from '../../src/models/architectures/keras-mnist-cnn.js';
import { loadModel, ModelError, readModelArtifacts, saveModel } from '../../src/models/model-files.js';
import { fetchModel } from '../../src/models/model-url.js';
import { thrown } from '../support/thrown.js';

const root = mkdtempSync(join(tmpdir(), 'tlx-models-'));
let reference: Float32Array;
const input = tf.tidy(() => tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 3));

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = kerasMnistCnn({ classes: 4 });
  reference = (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  await saveModel(model, join(root, 'one'), { note: 'test' });
  // The same weights in two shards, as tensorflowjs_converter writes them.
  const json = JSON.parse(readFileSync(join(root, 'one', 'model.json'), 'utf8'));
  const bytes = readFileSync(join(root, 'one', 'weights.bin'));
  const half = Math.floor(bytes.length / 2);
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(root, 'two'));
  writeFileSync(join(root, 'two', 'group1-shard1of2.bin'), bytes.subarray(0, half));
  writeFileSync(join(root, 'two', 'group1-shard2of2.bin'), bytes.subarray(half));
  json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  writeFileSync(join(root, 'two', 'model.json'), JSON.stringify(json));
});

async function predicts(file: string): Promise<Float32Array> {
  const model = await loadModel(file);
  const out = (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  model.dispose();
  return out;
}

describe('LayersModel files', () => {
  it('a saved model, one shard or two, reloads with the same predictions', async () => {
    for (const dir of ['one', 'two']) {
      const out = await predicts(join(root, dir, 'model.json'));
      out.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThan(1e-6));
    }
  });

  it.each([
    ['a missing file', () => join(root, 'absent', 'model.json'), /no such file/],
    ['a graph model', () => {
      const file = join(root, 'graph.json');
      writeFileSync(file, JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }));
      return file;
    }, /not a TensorFlow\.js LayersModel \(format 'graph-model'\)/],
    ['a weight shard of the wrong size', () => {
      const json = readFileSync(join(root, 'two', 'model.json'));
      const dir = mkdtempSync(join(root, 'cut-'));
      writeFileSync(join(dir, 'model.json'), json);
      writeFileSync(join(dir, 'group1-shard1of2.bin'), readFileSync(join(root, 'two', 'group1-shard1of2.bin')));
      writeFileSync(join(dir, 'group1-shard2of2.bin'), readFileSync(join(root, 'two', 'group1-shard2of2.bin')).subarray(0, 100));
      return join(dir, 'model.json');
    }, /weight shards hold \d+ bytes, the manifest describes \d+/],
  ])('%s is a ModelError that names the file (exit 2)', (_, make, message) => {
    const file = make();
    const error = thrown(() => readModelArtifacts(file));
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toContain(file);
    expect((error as ModelError).message).toMatch(message);
    expect((error as ModelError).exitCode).toBe(2);
  });
});

it('quantized weights (uint8, as tensorflowjs_converter --quantize_uint8 writes them) are sized by their stored type and load', async () => {
  const dir = mkdtempSync(join(root, 'quantized-'));
  const dense = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2, name: 'd' })] });
  await saveModel(dense, join(dir, 'float'), {});
  const json = JSON.parse(readFileSync(join(dir, 'float', 'model.json'), 'utf8'));
  // kernel [2, 2] and bias [2]: the values min + scale * q
  const q = { dtype: 'uint8', min: -1, scale: 0.5 };
  json.weightsManifest[0].weights = json.weightsManifest[0].weights.map((w: object) => ({ ...w, quantization: q }));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  writeFileSync(join(dir, 'weights.bin'), Uint8Array.from([0, 1, 2, 3, 4, 5]));
  const loaded = await loadModel(join(dir, 'model.json'));
  expect(Array.from(loaded.getLayer('d').getWeights()[0]!.dataSync())).toEqual([-1, -0.5, 0, 0.5]);
  expect(Array.from(loaded.getLayer('d').getWeights()[1]!.dataSync())).toEqual([1, 1.5]);
  loaded.dispose();
});

describe('models from a URL (a server on 127.0.0.1)', () => {
  let server: Server;
  let base = '';
  let requests = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      const file = join(root, 'two', (req.url ?? '').replace(/^\/models\//, ''));
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/models/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('downloads model.json and its shards once, then works from the cache without the server', async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'tlx-cache-')) };
    const sha256 = (await import('node:crypto')).createHash('sha256').update(readFileSync(join(root, 'two', 'model.json'))).digest('hex');
    const file = await fetchModel(`${base}model.json`, { env, maxBytes: 2 ** 30, sha256 });
    expect(requests).toBe(3);
    const out = await predicts(file);
    out.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThan(1e-6));
    await new Promise<void>((r) => server.close(() => r()));
    expect(await fetchModel(`${base}model.json`, { env, maxBytes: 2 ** 30 })).toBe(file);
    server.listen(0, '127.0.0.1');
  });

  it('offline without a cached copy, a wrong checksum, or too large: errors that say so', async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'tlx-cache-')) };
    await expect(fetchModel('http://127.0.0.1:9/model.json', { env, maxBytes: 2 ** 30 })).rejects.toThrow(/cannot download: .*no cached copy in/);
    const live = `http://127.0.0.1:${(server.address() as { port: number }).port}/models/model.json`;
    await expect(fetchModel(live, { env, maxBytes: 2 ** 30, sha256: '0'.repeat(64) })).rejects.toThrow(/config expects 0000/);
    await expect(fetchModel(live, { env, maxBytes: 1000 })).rejects.toThrow(/over the limit of \d+ bytes/);
  });
});
