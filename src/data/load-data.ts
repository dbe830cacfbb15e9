import { resolve } from 'node:path';
import type { ResolvedData } from '../config/resolved.js';
import type { DownloadProgress } from './download.js';
import { locateFashionMnist, readFashionMnist } from './fashion-mnist.js';
import type { ImageSet } from './image-set.js';
import { idxImageSet } from './idx-set.js';
import { loadMnist } from './mnist.js';
import { prepareData, type PreparedData } from './split.js';

/** Where relative paths in a data block start, and the environment to look in. */
export interface DataContext {
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly onProgress?: (p: DownloadProgress) => void;
}

const cache = new Map<string, ImageSet>();

/** The images a data block names, read once per process. */
export async function loadImages(spec: ResolvedData, context: DataContext): Promise<ImageSet> {
  const at = (p: string) => resolve(context.baseDir, p);
  const key = JSON.stringify([spec.dataset, spec.path && at(spec.path), spec.images && at(spec.images), spec.labels && at(spec.labels)]);
  let set = cache.get(key);
  if (!set) {
    set = await LOADERS[spec.dataset](spec, context, at);
    cache.set(key, set);
  }
  return set;
}

const LOADERS = {
  mnist: async () => loadMnist(),
  'fashion-mnist': async (spec, context, at) =>
    readFashionMnist(await locateFashionMnist({ ...(spec.path ? { path: at(spec.path) } : {}), env: context.env, onProgress: context.onProgress })),
  idx: async (spec, _context, at) => idxImageSet(at(spec.images!), at(spec.labels!)),
} as const satisfies Record<ResolvedData['dataset'], (spec: ResolvedData, context: DataContext, at: (p: string) => string) => Promise<ImageSet>>;

/** The dataset a data block names, prepared (classes, split, few-shot) for a seed. */
export async function loadData(spec: ResolvedData, seed: number, context: DataContext): Promise<PreparedData> {
  return prepareData(await loadImages(spec, context), spec, seed);
}
