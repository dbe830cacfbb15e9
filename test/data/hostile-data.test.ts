import { createReadStream, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedData } from '../../src/config/resolved.js';
import { locateFashionMnist } from '../../src/data/images/fashion-mnist.js';
import { readExamples } from '../../src/data/load-data.js';
import { readChunks } from '../../src/data/read-chunks.js';
import { DataError } from '../../src/errors.js';
import { gzipBomb, HOSTILE_DATA, writePngs } from '../support/hostile-files.js';

const root = mkdtempSync(join(tmpdir(), 'tlx-hostile-'));
const DEFAULTS = { validation: 0.1, test: 0.1, resize: 'bilinear', skipUnreadable: false, background: 'white' } as const;
const FILE_FORMAT = { imageSize: [8, 8], channels: 3 } as const;

async function refusal(spec: ResolvedData, dir: string): Promise<DataError> {
  const error = await readExamples(spec, { baseDir: dir, env: {} }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('hostile data: a DataError naming the file (exit 2), read no further than needed', () => {
  it.each(HOSTILE_DATA)('$name', async ({ write, names, message, code }) => {
    const dir = mkdtempSync(join(root, 'case-'));
    const block = await write(dir);
    const format = block.dataset === 'idx' ? {} : FILE_FORMAT;
    const error = await refusal({ ...DEFAULTS, ...format, ...block } as ResolvedData, dir);
    expect(error.file).toBe(join(dir, names));
    expect(error.message.startsWith(`${join(dir, names)}: `)).toBe(true);
    expect(error.message.slice(join(dir, names).length + 2)).toMatch(message);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
  }, 30_000);

  it('skipUnreadable that leaves a class without images', async () => {
    const dir = mkdtempSync(join(root, 'skip-'));
    await writePngs(join(dir, 'folder', 'a'), 2);
    mkdirSync(join(dir, 'folder', 'b'));
    symlinkSync('nowhere.png', join(dir, 'folder', 'b', 'gone.png'));
    const error = await refusal({ ...DEFAULTS, ...FILE_FORMAT, dataset: 'imagefolder', path: 'folder', skipUnreadable: true }, dir);
    expect(error.message).toBe(`${join(dir, 'folder', 'b')}: class folder has no readable images (.jpg, .jpeg, .png, .webp, .gif, .tif, .tiff)`);
  });
});

describe('decompression is bounded', () => {
  it('past the bound, reading stops with an error naming the file', async () => {
    const file = join(root, 'eight-mib.gz');
    await gzipBomb(file, 8);
    let seen = 0;
    const error = await readChunks(file, (chunk) => { seen += chunk.length; }, 2 ** 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe(`${file}: decompresses to more than 1 MiB, the most tlx reads from this file`);
    expect(seen).toBeLessThanOrEqual(2 ** 20);
  });

  // A mirror (TLX_FASHION_MNIST_URL) serving a gzip bomb, on 127.0.0.1.
  describe('a downloaded Fashion-MNIST file', () => {
    const bomb = join(root, 'served-bomb.gz');
    let base = '';
    const server = createServer((_req, res) => void createReadStream(bomb).pipe(res));
    beforeAll(async () => {
      await gzipBomb(bomb, 128);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('that expands past the largest official file is refused by name and removed', async () => {
      const cacheHome = mkdtempSync(join(tmpdir(), 'tlx-cache-'));
      const error = await locateFashionMnist({ env: { XDG_CACHE_HOME: cacheHome, TLX_FASHION_MNIST_URL: base }, systemDirs: [] }).catch((e: unknown) => e);
      const dest = join(cacheHome, 'tlx', 'datasets', 'fashion-mnist', 'train-images-idx3-ubyte.gz');
      expect(error).toBeInstanceOf(DataError);
      expect((error as DataError).message).toContain(`failed: ${dest}: decompresses to more than 64 MiB, the most tlx reads from this file`);
      expect(existsSync(dest)).toBe(false);
    });
  });
});
