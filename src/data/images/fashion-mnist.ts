import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataError } from '../../errors.js';
import { download, type DownloadProgress } from '../download.js';
import type { ImageSet } from './image-set.js';
import { concatSets, idxImageSet } from './idx-set.js';
import { readChunks } from '../read-chunks.js';

/** The official file names and the sha256 of their decompressed contents. */
export const FASHION_MNIST_FILES = {
  'train-images-idx3-ubyte.gz': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte.gz': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte.gz': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte.gz': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
} as const;

/** Where Zalando publishes the files; TLX_FASHION_MNIST_URL points elsewhere (a mirror). */
export const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
/** More than any of the four files holds decompressed (47,040,016 bytes at most): a download beyond it is refused. */
const MAX_FILE_BYTES = 64 * 2 ** 20;
const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

export interface LocateOptions {
  /** `path` of the data block, already resolved against the experiment file. */
  readonly path?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (p: DownloadProgress) => void;
  /** System-wide copies (Debian's package); replaceable for tests. */
  readonly systemDirs?: readonly string[];
}

/** tlx's download cache for datasets. */
export function datasetCache(env: LocateOptions['env']): string {
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tlx', 'datasets');
}

/** The places looked in, in order. */
export function fashionMnistCandidates(options: LocateOptions): string[] {
  return [
    ...(options.path ? [options.path] : []),
    ...(options.env.TLX_DATA_DIR ? [join(options.env.TLX_DATA_DIR, 'fashion-mnist')] : []),
    join(datasetCache(options.env), 'fashion-mnist'),
    ...(options.systemDirs ?? [DEBIAN_DIR]),
  ];
}

const complete = (dir: string) => Object.keys(FASHION_MNIST_FILES).every((f) => existsSync(join(dir, f)));

/**
 * The directory holding the four Fashion-MNIST files: the first complete candidate,
 * or the cache after downloading them (each checked against its checksum). When
 * nothing works the error lists every place tried and the ways to get the data.
 */
export async function locateFashionMnist(options: LocateOptions): Promise<string> {
  const candidates = fashionMnistCandidates(options);
  const found = candidates.find(complete);
  if (found) return found;
  const cache = join(datasetCache(options.env), 'fashion-mnist');
  const base = options.env.TLX_FASHION_MNIST_URL ?? FASHION_MNIST_URL;
  try {
    for (const [name, sha256] of Object.entries(FASHION_MNIST_FILES)) {
      const dest = join(cache, name);
      if (existsSync(dest)) continue;
      await download(new URL(name, base).toString(), dest, options.onProgress, { checksummed: true, maxBytes: MAX_FILE_BYTES });
      const hash = createHash('sha256');
      // A bad copy is removed so that the next run fetches it again.
      const actual = await readChunks(dest, (chunk) => hash.update(chunk), MAX_FILE_BYTES).then(() => hash.digest('hex'), (e: Error) => {
        rmSync(dest, { force: true });
        throw e;
      });
      if (actual !== sha256) {
        rmSync(dest);
        throw new Error(`${name} failed its checksum (sha256 of its content ${actual.slice(0, 12)}..., expected ${sha256.slice(0, 12)}...)`);
      }
    }
    return cache;
  } catch (e) {
    throw new DataError('E_DATA_MISSING', 'fashion-mnist',
      `dataset not found; looked in ${candidates.map((c) => `'${c}'`).join(', ')}; download from ${base} failed: ${(e as Error).message}`,
      `either install Debian's package (apt-get install dataset-fashion-mnist), or put the four files\n` +
      `(${Object.keys(FASHION_MNIST_FILES).join(', ')}) in ${cache} (or in $TLX_DATA_DIR/fashion-mnist, or give data.path)`);
  }
}

/** All 70,000 images (train file, then test file), 10 classes. */
export async function readFashionMnist(dir: string): Promise<ImageSet> {
  const at = (f: string) => resolve(dir, f);
  return concatSets(await Promise.all([
    idxImageSet(at('train-images-idx3-ubyte.gz'), at('train-labels-idx1-ubyte.gz')),
    idxImageSet(at('t10k-images-idx3-ubyte.gz'), at('t10k-labels-idx1-ubyte.gz')),
  ]));
}
