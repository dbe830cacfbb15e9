import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mobilenetV1 } from '../../src/models/architectures/mobilenet-v1.js';
import { saveModel } from '../../src/models/model-files.js';
import { cachedModelJson } from '../../src/models/model-url.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { expectConsistentTrial } from '../support/trial-checks.js';

// experiments/coral.yaml as shipped, with its source and data overridden: a
// MobileNet v1 with the published model's layer names (alpha 0.25, 32x32 RGB so it
// trains in seconds) served as model.json + weights on 127.0.0.1, and a folder of
// generated JPEG "species". Every step of the real path runs: download into the
// cache, cut at conv_pw_13_relu, head, two-phase fine-tune, probe, scratch.

const run = promisify(execFile);
const BIN = resolve('dist/src/cli/bin.js');
const CORAL = resolve('experiments/coral.yaml');
const dir = mkdtempSync(join(tmpdir(), 'tlx-coral-'));
const cache = join(dir, 'xdg-cache');
const env = { ...process.env, TLX_BACKEND: 'wasm', XDG_CACHE_HOME: cache };
const tlx = (...args: string[]) => run('node', [BIN, ...args], { cwd: dir, env }).then(
  (r) => ({ code: 0, ...r }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);

// Three "species": a colour and a stripe direction each, with noise, at 48x40 (resized to the model's 32x32).
async function writeSpecies(): Promise<string> {
  const root = join(dir, 'coral');
  const species = [['acropora', [200, 120, 80], 0], ['porites', [90, 160, 200], 1], ['favia', [120, 200, 110], 2]] as const;
  let state = 1;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 60 - 30;
  for (const [name, colour, stripes] of species) {
    mkdirSync(join(root, name), { recursive: true });
    for (let k = 0; k < 8; k++) {
      const [w, h] = [48, 40];
      const pixels = Buffer.alloc(w * h * 3);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const on = ((stripes === 0 ? x : stripes === 1 ? y : x + y) >> 2) % 2 === 0;
          for (let c = 0; c < 3; c++) pixels[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, colour[c]! * (on ? 1 : 0.4) + noise()));
        }
      }
      await sharp(pixels, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toFile(join(root, name, `${k}.jpg`));
    }
  }
  return root;
}

let server: Server;
let url = '';
let images = '';
const requests: string[] = [];

beforeAll(async () => {
  expect(existsSync(BIN), 'run npm run build first').toBe(true);
  await tf.setBackend('cpu');
  await saveModel(mobilenetV1({ alpha: 0.25, size: 32, channels: 3, classes: 10 }), join(dir, 'served'), { note: 'MobileNet-shaped stand-in' });
  images = await writeSpecies();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = join(dir, 'served', (req.url ?? '').replace(/^\/mobilenet\//, ''));
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/mobilenet/model.json`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('experiments/coral.yaml', () => {
  it.skipIf(existsSync(resolve('data/coral')))('without its data or model, run stops before anything and says what to provide (exit 2)', async () => {
    const out = await tlx('run', CORAL, '--results', join(dir, 'none'));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`source.model: not downloaded yet: tlx run fetches it once (model.json and its weight files) into ${join(cache, 'tlx', 'models')}`);
    expect(out.stderr).toContain('--set source.model=path/to/model.json');
    expect(out.stderr).toMatch(/target\.data\.path: no such file or folder: '.*data\/coral'\n {2}put the images there, one sub-folder of JPEG\/PNG\/WebP files per class/);
    expect(out.stderr).toContain('tlx: 2 problems in');
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'none'))).toBe(false);
    // validate passes the same file, listing the same two things
    const valid = await tlx('validate', CORAL);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/valid; 3 trials[\s\S]*not on this machine yet[\s\S]*source\.model[\s\S]*target\.data\.path/);
  });

  it('with the data but no way to download the model: exit 2, the URL and the cache folder named', async () => {
    const offline = 'http://127.0.0.1:1/mobilenet/model.json';
    const out = await tlx('run', CORAL, '--set', `source.model=${offline}`, '--set', `target.data.path=${images}`, '--results', join(dir, 'offline'));
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${offline}: cannot download`);
    expect(out.stderr).toContain(`copy model.json and its weight files into ${join(cache, 'tlx', 'models')}`);
  });

  it('runs end to end on a local MobileNet-shaped model and generated images, with a tiny budget', async () => {
    const sets = [
      `source.model=${url}`, `target.data.path=${images}`, 'target.data.validation=2', 'target.data.test=2',
      'repeats=1', 'train.epochs=1', 'train.batchSize=8', 'transfer.fineTune.epochs=1',
    ];
    const out = await tlx('run', CORAL, ...sets.flatMap((s) => ['--set', s]), '--results', join(dir, 'results'), '--cache', join(dir, 'tlx-cache'));
    expect(out.stderr).not.toContain('FAILED');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('1 trials run, 0 already done, 0 failed; backend wasm');
    // downloaded once into the model cache: model.json and its weights
    expect(requests).toEqual(['/mobilenet/model.json', '/mobilenet/weights.bin']);
    expect(existsSync(cachedModelJson(url, { XDG_CACHE_HOME: cache }))).toBe(true);

    const runDir = join(dir, out.stdout.match(/results: (.*)/)![1]!);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest.overrides).toEqual(sets);
    expect(manifest.config.source).toMatchObject({ model: url, cut: 'conv_pw_13_relu', input: { scale: '-1..1' } });
    const [record] = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
    expect(record!.status).toBe('ok');
    expect(record!.frozen!.at(-1)).toBe('conv_pw_13_relu');
    expect(record!.frozen).not.toContain('global_average_pooling2d');
    expect(record!.unfrozen).toEqual(['conv_dw_13', 'conv_dw_13_bn', 'conv_dw_13_relu', 'conv_pw_13', 'conv_pw_13_bn', 'conv_pw_13_relu']);
    expect(record!.curve!.map((p) => p.phase)).toEqual([1, 2]);
    expect(record!.confusion).toHaveLength(3);
    // 3 classes x 2 test images.
    expectConsistentTrial(record!, 6);
    const preprocessing = JSON.parse(readFileSync(join(dir, out.stdout.match(/model: (.*)/)![1]!, 'preprocessing.json'), 'utf8'));
    expect(preprocessing.inputShape).toEqual([32, 32, 3]);

    // Once downloaded, validation checks the cut against the cached copy, offline.
    const typo = await tlx('validate', CORAL, '--set', `source.model=${url}`, '--set', `target.data.path=${images}`, '--set', 'source.cut=conv_pw_13_rel');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--set source.cut=conv_pw_13_rel: source.cut: unknown layer 'conv_pw_13_rel'.*\n {2}did you mean 'conv_pw_13_relu'\?/);
  });
});
