import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { pixelScale } from '../../src/data/images/batches.js';
import { decodeImage } from '../../src/data/images/decode-images.js';
import { initBackend } from '../../src/engine/init-backend.js';
import { loadModel } from '../../src/models/model-files.js';
import { imageInputs } from '../../src/train/inputs.js';
import { batchOutputs } from '../../src/train/predict.js';
import { photoStamps, pretrainedModel } from '../support/optional.js';

// The real uint8-quantized MobileNetV2 and InceptionV3 (nsfwjs@4.4.0's, ImageNet-
// initialised) on real photographs: tlx's loader and pixel path give what
// @tensorflow/tfjs-layers' own loadLayersModel gives, fetching the same folder over
// HTTP as a browser app would, on tlx's default backend (wasm).

const photos = photoStamps();

const cosine = (a: Float32Array, b: Float32Array) => {
  let [ab, aa, bb] = [0, 0, 0];
  a.forEach((v, i) => { ab += v * b[i]!; aa += v * v; bb += b[i]! * b[i]!; });
  return ab / Math.sqrt(aa * bb);
};
const MODELS = [
  { name: 'mobilenet_v2', size: 224, features: 1280, need: pretrainedModel('mobilenet_v2') },
  { name: 'inception_v3', size: 299, features: 2048, need: pretrainedModel('inception_v3') },
] as const;

/** The first photograph (sorted) of a few categories: no cartoons, mirrored copies or drawings. */
function photoFiles(): string[] {
  const first = (dir: string): string | undefined => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    const file = entries.find((e) => e.isFile() && e.name.endsWith('.png') && !e.name.includes('_mirror'));
    if (file) return join(dir, file.name);
    for (const e of entries) {
      const found = e.isDirectory() && e.name !== 'cartoon' ? first(join(dir, e.name)) : undefined;
      if (found) return found;
    }
    return undefined;
  };
  return ['animals/birds', 'food/fruit', 'vehicles', 'plants'].map((c) => first(join(photos.dir, c))).filter((f) => f != null);
}


/**
 * Photographs as tlx feeds them: transparency flattened onto white (done here until
 * data blocks state a background), then decoded and resized by tlx's decodeImage.
 */
async function decodePhotos(files: readonly string[], size: number): Promise<Uint8Array> {
  const pixels = new Uint8Array(files.length * size * size * 3);
  // tlx's own decoding: transparency flattened onto white, resized.
  for (const [i, file] of files.entries()) {
    pixels.set(await decodeImage(file, { size: [size, size], channels: 3, resize: 'bilinear', background: 'white' }), i * size * size * 3);
  }
  return pixels;
}

/** A static file server over the pretrained models' folder, on 127.0.0.1. */
function serve(folder: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    // No keep-alive: a connection the server closes while idle between tests would
    // reset fetch's next request on it.
    res.setHeader('connection', 'close');
    const file = resolve(folder, `.${decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)}`);
    if (relative(folder, file).startsWith('..')) return void res.writeHead(403).end();
    try {
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe.runIf(photos.available)(`real quantized models on real photographs ${photos.label}`, () => {
  const files = photos.available ? photoFiles() : [];
  let http: { server: Server; base: string } | undefined;

  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => new Promise<void>((r) => (http ? http.server.close(() => r()) : r())));

  it('the photographs are there: one per category', () => {
    expect(files).toHaveLength(4);
  });

  describe.each(MODELS)('$name', ({ name, size, features, need }) => {
    it.runIf(need.available)(`tlx's loader and tfjs-layers' loadLayersModel predict the same (within 1e-5), features and probabilities, each photo its own features ${need.label}`, async () => {
      http ??= await serve(dirname(dirname(resolve(need.modelJson))));
      const pixels = await decodePhotos(files, size);
      const set = { pixels, labels: new Int32Array(files.length), shape: [size, size, 3] as const, classes: 5 };

      // The pooled features a transfer keeps (flatten_1, after the backbone) and the
      // class probabilities, from one pass.
      const outputs = (m: tfl.LayersModel) => tfl.model({ inputs: m.inputs, outputs: [m.getLayer('flatten_1').output as tfl.SymbolicTensor, m.outputs[0]!] });
      const forward = (m: tfl.LayersModel) => (x: tf.Tensor) => tf.concat(m.predict(x) as tf.Tensor[], 1);
      const ours = await loadModel(need.modelJson);
      const viaTlx = await batchOutputs(imageInputs(set, pixelScale('-1..1', 3)), 2, forward(outputs(ours)));
      ours.dispose();

      const theirs = await tfl.loadLayersModel(`${http.base}/${name}/model.json`);
      const viaTfjs = tf.tidy(() => {
        const x = tf.sub(tf.div(tf.tensor4d(pixels, [files.length, size, size, 3], 'float32'), 127.5), 1);
        return forward(outputs(theirs))(x).dataSync() as Float32Array;
      });
      theirs.dispose();

      const width = viaTlx.length / files.length;
      expect(width).toBe(features + 5);
      viaTfjs.forEach((v, i) => expect(Math.abs(viaTlx[i]! - v), `output ${i % width} of photo ${Math.floor(i / width)}`).toBeLessThan(1e-5 * (1 + Math.abs(v))));
      const rows = files.map((_, i) => viaTlx.subarray(i * width, (i + 1) * width));
      for (const row of rows) {
        expect(row.subarray(features).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        expect(row.subarray(0, features).some((v) => v > 0)).toBe(true);
      }
      // Each photograph its own features (a model that ignores its input gives cosine 1;
      // here 0.6 to 0.96).
      for (let a = 0; a < rows.length; a++) {
        for (let b = a + 1; b < rows.length; b++) {
          expect(cosine(rows[a]!.subarray(0, features), rows[b]!.subarray(0, features)), `${files[a]} vs ${files[b]}`).toBeLessThan(0.99);
        }
      }
    });
  });
});

describe.each(MODELS)('tlx inspect $name', ({ need, size }) => {
  it.runIf(need.available)(`lists its layers, parameters and input ${need.label}`, async () => {
    let out = '';
    let err = '';
    const code = await main(['inspect', need.modelJson], { out: (t) => { out += t; }, err: (t) => { err += t; }, env: { ...process.env, TLX_BACKEND: 'wasm' }, cwd: process.cwd() });
    expect(err).toBe('');
    expect(code).toBe(0);
    const params = { 224: '2619461', 299: '22360869' }[size];
    expect(out).toMatch(new RegExp(`\\n\\d+ layers, ${params} parameters; input \\[N,${size},${size},3\\]\\n$`));
    expect(out).toMatch(size === 224 ? /out_relu +ReLU +\[N,7,7,1280\]/ : /mixed10 +Concatenate +\[N,8,8,2048\]/);
  });
});
