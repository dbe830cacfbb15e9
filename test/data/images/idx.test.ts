import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES, locateFashionMnist, readFashionMnist } from '../../../src/data/images/fashion-mnist.js';
import { idxImageSet } from '../../../src/data/images/idx-set.js';
import { readIdx } from '../../../src/data/images/idx.js';
import { DataError } from '../../../src/errors.js';
import { need } from '../../support/optional.js';

const DEBIAN = '/usr/share/datasets/fashion-mnist';
const debian = need(`Debian's Fashion-MNIST in ${DEBIAN}`, existsSync(join(DEBIAN, 'train-images-idx3-ubyte.gz')), 'apt-get install dataset-fashion-mnist');
const dir = mkdtempSync(join(tmpdir(), 'tlx-idx-'));

function idx(dims: number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, dims.length);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(header.buffer), ...data]);
}

describe('IDX files', () => {
  it('reads raw and gzipped image/label pairs the test writes', async () => {
    const pixels = Uint8Array.from({ length: 3 * 4 * 5 }, (_, i) => i);
    writeFileSync(join(dir, 'img'), idx([3, 4, 5], pixels));
    writeFileSync(join(dir, 'lab.gz'), gzipSync(idx([3], Uint8Array.from([2, 0, 1]))));
    const set = await idxImageSet(join(dir, 'img'), join(dir, 'lab.gz'));
    expect(set.shape).toEqual([4, 5, 1]);
    expect([...set.labels]).toEqual([2, 0, 1]);
    expect(set.classes).toBe(3);
    expect([...set.pixels]).toEqual([...pixels]);
  });

  it.each([
    ['truncated data', idx([10, 28, 28], new Uint8Array(100)), /IDX data is truncated: header \[10, 28, 28\] needs 7840 bytes, the file has 100/],
    ['not IDX', new Uint8Array([1, 2, 3, 4, 5]), /not an IDX file/],
    ['floats', Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), /element type 0xd is not supported/],
  ])('%s: a DataError naming the file, exit code 2', async (_, bytes, message) => {
    const file = join(dir, `bad-${Math.random()}`);
    writeFileSync(file, bytes);
    const error = await readIdx(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toContain(file);
    expect((error as DataError).message).toMatch(message);
    expect((error as DataError).exitCode).toBe(2);
  });

  it('a cut-short gzip download is reported as such', async () => {
    const file = join(dir, 'cut.gz');
    writeFileSync(file, gzipSync(idx([2, 2, 2], new Uint8Array(8))).subarray(0, 20));
    await expect(readIdx(file)).rejects.toThrow(/not a valid gzip file.*download may be incomplete/);
  });
});

describe.runIf(debian.available)(`Fashion-MNIST ${debian.label}`, () => {
  it('70,000 28x28 images in 10 balanced classes', async () => {
    const set = await readFashionMnist(DEBIAN);
    expect(set.labels.length).toBe(70_000);
    expect(set.shape).toEqual([28, 28, 1]);
    for (let c = 0; c < 10; c++) expect(set.labels.filter((l) => l === c).length).toBe(7_000);
  });

  it('is found in Debian\'s folder when nothing else has it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'tlx-home-'));
    expect(await locateFashionMnist({ env: { XDG_CACHE_HOME: home } })).toBe(DEBIAN);
  });
});

// Downloads from a server the test runs on 127.0.0.1, serving the Debian files (or
// refusing), into an empty cache: the path a user without the package takes.
describe.runIf(debian.available)(`Fashion-MNIST download ${debian.label}`, () => {
  let base = '';
  let served = 0;
  const server = createServer((req, res) => {
    const name = (req.url ?? '').split('/').pop() ?? '';
    if (req.url?.startsWith('/corrupt/')) {
      res.end(gzipSync(Buffer.from('not the dataset')));
    } else if (name in FASHION_MNIST_FILES) {
      served++;
      const body = readFileSync(join(DEBIAN, name));
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads the four files into the cache, checks them, and reuses them', async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'tlx-cache-'));
    const fake = mkdtempSync(join(tmpdir(), 'tlx-nodata-'));
    const env = { XDG_CACHE_HOME: cacheHome, TLX_FASHION_MNIST_URL: base };
    const lines: number[] = [];
    const found = await locateFashionMnist({ env, path: fake, onProgress: (p) => lines.push(p.received), systemDirs: [] });
    expect(found).toBe(join(cacheHome, 'tlx', 'datasets', 'fashion-mnist'));
    expect(served).toBe(4);
    expect(lines.length).toBeGreaterThan(4);
    expect((await readFashionMnist(found)).labels.length).toBe(70_000);
    await locateFashionMnist({ env, systemDirs: [] });
    expect(served).toBe(4);
  });

  it('a file that fails its checksum is removed, and the error says where it looked and what to do', async () => {
    const cacheHome = mkdtempSync(join(tmpdir(), 'tlx-cache-'));
    const env = { XDG_CACHE_HOME: cacheHome, TLX_FASHION_MNIST_URL: `${base}corrupt/` };
    const error = await locateFashionMnist({ env, systemDirs: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/looked in .*tlx\/datasets\/fashion-mnist.*failed its checksum/);
    expect((error as DataError).hint).toContain('apt-get install dataset-fashion-mnist');
    expect(existsSync(join(cacheHome, 'tlx', 'datasets', 'fashion-mnist', 'train-images-idx3-ubyte.gz'))).toBe(false);
  });
});
