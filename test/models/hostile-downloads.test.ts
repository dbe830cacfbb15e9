import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError, saveModel } from '../../src/models/model-files.js';
import { cachedModelJson, fetchModel, modelCache } from '../../src/models/model-url.js';

// Model URLs served from 127.0.0.1 by a server that serves whatever is asked (so
// a hostile path would be fetched): each is refused with a coded ModelError, and
// nothing is written anywhere, in the cache or outside it.

const root = mkdtempSync(join(tmpdir(), 'tlx-hostile-url-'));
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const bodies: Record<string, string | Buffer | Handler> = {};
const requests: string[] = [];
const server = createServer((req, res) => {
  requests.push(req.url ?? '');
  const body = bodies[req.url ?? ''] ?? bodies['*'];
  if (body == null) return void res.writeHead(404).end();
  if (typeof body === 'function') return body(req, res);
  res.end(body);
});
const url = (path: string) => `http://127.0.0.1:${(server.address() as { port: number }).port}${path}`;

interface ModelJson {
  modelTopology: { config: { layers: { class_name: string }[] } };
  weightsManifest: { paths: string[] }[];
}
let good: ModelJson;
let weights: Buffer;

/** Serves a changed copy of the good model at /<name>/model.json (weights at any other path). */
function serve(name: string, edit: (json: ModelJson) => void = () => {}): string {
  const json = structuredClone(good);
  edit(json);
  bodies[`/${name}/model.json`] = JSON.stringify(json);
  return url(`/${name}/model.json`);
}

/** Every file under a folder, relative to it. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile()).sort();
}

/** Sends 1 MiB chunks for as long as the client reads. */
const endless: Handler = (_, res) => {
  const chunk = Buffer.alloc(2 ** 20, 32);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [4, 4, 1], name: 'flatten' }), tfl.layers.dense({ units: 2, name: 'out' })] });
  await saveModel(model, join(root, 'good'), {});
  good = JSON.parse(readFileSync(join(root, 'good', 'model.json'), 'utf8')) as ModelJson;
  weights = readFileSync(join(root, 'good', 'weights.bin'));
  bodies['*'] = weights;
  const nan = Buffer.from(weights);
  nan.writeFloatLE(NaN, 4);
  bodies['/nan/weights.bin'] = nan;
  bodies['/huge/model.json'] = (_, res) => res.writeHead(200, { 'content-length': String(200 * 2 ** 20) }).end();
  bodies['/endless/model.json'] = endless;
  bodies['/trickle/model.json'] = (_, res) => {
    const timer = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(timer));
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

// A deadline only for the server that never finishes; the others must not race one.
const ROWS: { name: string; url: () => string; code: string; message: RegExp; fetched: string[]; timeout?: string }[] = [
  { name: 'a weight path out of the cache', url: () => serve('escape', (j) => { j.weightsManifest[0]!.paths = ['../../../../escaped.bin']; }),
    code: 'E_MODEL_PATH', message: /weight path '\.\.\/\.\.\/\.\.\/\.\.\/escaped\.bin' leaves the model's folder/, fetched: ['model.json'] },
  { name: 'an absolute weight path', url: () => serve('absolute', (j) => { j.weightsManifest[0]!.paths = [join(root, 'absolute.bin')]; }),
    code: 'E_MODEL_PATH', message: /is absolute/, fetched: ['model.json'] },
  { name: 'a Lambda layer', url: () => serve('lambda', (j) => { j.modelTopology.config.layers[0]!.class_name = 'Lambda'; }),
    code: 'E_MODEL_LAYER', message: /layer 'flatten' is a Lambda layer/, fetched: ['model.json'] },
  { name: 'NaN weights', url: () => serve('nan'), code: 'E_MODEL_NAN', message: /weight 'out\/kernel' holds NaN \(element 1 of 32\)/, fetched: ['model.json', 'weights.bin'] },
  { name: 'a 200 MiB model.json', url: () => url('/huge/model.json'), code: 'E_MODEL_TOO_LARGE', message: /is over 32 MiB, the most a model\.json may be/, fetched: ['model.json'] },
  { name: 'a model.json that does not end', url: () => url('/endless/model.json'), code: 'E_MODEL_TOO_LARGE', message: /is over 32 MiB/, fetched: ['model.json'] },
  { name: 'a server that trickles', url: () => url('/trickle/model.json'), code: 'E_DOWNLOAD_TIMEOUT', message: /did not arrive within 0\.5 s/, fetched: ['model.json'], timeout: '0.5' },
  { name: 'plain http to another host', url: () => 'http://example.org/model.json', code: 'E_DOWNLOAD_INSECURE', message: /refused: https is required/, fetched: [] },
];

describe('hostile model URLs', () => {
  it.each(ROWS)('$name: a coded ModelError naming the URL, nothing written in or outside the cache', async (row) => {
    const sandbox = mkdtempSync(join(root, 'sandbox-'));
    // The download's temp folder is <xdg>/tlx/models/<hash>.<pid>.part: four levels up is the sandbox.
    const env = { XDG_CACHE_HOME: join(sandbox, 'xdg'), TLX_DOWNLOAD_TIMEOUT_S: row.timeout ?? '600' };
    const target = row.url();
    requests.length = 0;
    const error = await fetchModel(target, { env, maxBytes: 2 ** 30 }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: row.code, file: target, exitCode: 2 });
    expect((error as Error).message).toMatch(row.message);
    expect(requests.map((r) => r.split('/').pop())).toEqual(row.fetched);
    expect(files(sandbox)).toEqual([]);
    expect(existsSync(cachedModelJson(target, env))).toBe(false);
    expect(existsSync(join(root, 'absolute.bin'))).toBe(false);
  });

  it('the same server and model, unchanged, downloads into the cache (the rows above differ only in what they name)', async () => {
    const env = { XDG_CACHE_HOME: join(mkdtempSync(join(root, 'sandbox-')), 'xdg') };
    const file = await fetchModel(serve('fine'), { env, maxBytes: 2 ** 30 });
    expect(files(modelCache(env)).map((f) => f.split('/').pop())).toEqual(['model.json', 'weights.bin']);
    expect(existsSync(file)).toBe(true);
  });
});

describe('the built CLI', () => {
  const BIN = resolve('dist/src/cli/bin.js');
  const run = promisify(execFile);
  const dir = join(root, 'cli');
  const cli = (env: Record<string, string>, ...args: string[]) =>
    run('node', [BIN, ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm', XDG_CACHE_HOME: join(dir, 'xdg'), ...env } })
      .then((r) => ({ code: 0, stderr: r.stderr }), (e: { code: number; stderr: string }) => e);
  // The error's first line, after any download progress.
  const message = (stderr: string) => stderr.split('\n').find((l) => l.startsWith('tlx: '));

  it('validate and run refuse plain http, run refuses a hostile model and a trickling server: exit 2, nothing written', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    mkdirSync(join(dir, 'data', 'a'), { recursive: true });
    writeFileSync(join(dir, 'e.yaml'), `name: remote
source: { model: https://127.0.0.1:9/model.json, cut: flatten }
target: { data: { dataset: imagefolder, path: data, validation: 1, test: 1 } }
train: { epochs: 1, batchSize: 4 }
`);
    const insecure = 'http://example.org/model.json';
    for (const command of ['validate', 'run']) {
      const out = await cli({}, command, 'e.yaml', '--set', `source.model=${insecure}`);
      expect(out.code).toBe(2);
      expect(out.stderr.split('\n')[0]).toBe(`--set source.model=${insecure}: source.model: ${insecure}: ` +
        'https is required: tlx does not download from http:// URLs (only 127.0.0.1, localhost and [::1] may use plain http)');
    }
    const escape = serve('escape-cli', (j) => { j.weightsManifest[0]!.paths = ['../../../../escaped.bin']; });
    const hostile = await cli({}, 'run', 'e.yaml', '--set', `source.model=${escape}`, '--results', 'results');
    expect(hostile.code).toBe(2);
    expect(message(hostile.stderr)).toBe(`tlx: ${escape}: weight path '../../../../escaped.bin' leaves the model's folder`);
    const slow = await cli({ TLX_DOWNLOAD_TIMEOUT_S: '1' }, 'run', 'e.yaml', '--set', `source.model=${url('/trickle/model.json')}`, '--results', 'results');
    expect(slow.code).toBe(2);
    expect(message(slow.stderr)).toMatch(/^tlx: .*\/trickle\/model\.json: cannot download: .*did not arrive within 1 s; no cached copy in /);
    expect(slow.stderr).toContain('TLX_DOWNLOAD_TIMEOUT_S sets the time a download may take');
    expect(slow.stderr).not.toMatch(/\n\s+at /);
    expect(files(dir)).toEqual(['e.yaml']);
  });
});
