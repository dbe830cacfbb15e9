import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DataError } from '../errors.js';
import { decodeAll, type PixelFormat } from './decode-images.js';
import type { ImageSet } from './image-set.js';
import { concatSets } from './idx-set.js';

const IMAGE = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const visible = (name: string) => !name.startsWith('.');
const SPLITS = { train: ['train'], validation: ['val', 'validation'], test: ['test'] } as const;

function classFolders(root: string): string[] {
  return readdirSync(root).filter((n) => visible(n) && statSync(join(root, n)).isDirectory()).sort();
}

function listImages(root: string, classes: readonly string[]): { file: string; label: number }[] {
  return classes.flatMap((name, label) => {
    const dir = join(root, name);
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => visible(f) && IMAGE.has(extname(f).toLowerCase())).sort()
      .map((f) => ({ file: join(dir, f), label }));
  });
}

/**
 * One sub-folder per class (Keras image_dataset_from_directory, torchvision
 * ImageFolder); with train/, val/ and test/ sub-folders, those splits are kept.
 * Classes are the folder names in sorted order; hidden files are ignored.
 */
export async function readImageFolder(root: string, format: PixelFormat, skip: boolean): Promise<ImageSet> {
  if (!existsSync(root)) throw new DataError('E_DATA_MISSING', root, 'no such folder');
  const explicit = SPLITS.train.some((s) => existsSync(join(root, s)));
  if (!explicit) {
    const classes = classFolders(root);
    if (classes.length < 2) throw new DataError('E_DATA_FORMAT', root, `expected one sub-folder per class, found ${classes.length}`);
    const set = await decodeAll(listImages(root, classes), format, { skip, classes: classes.length });
    return { ...set, classNames: classes };
  }
  const trainRoot = join(root, SPLITS.train.find((s) => existsSync(join(root, s)))!);
  const classes = classFolders(trainRoot);
  const parts: Record<string, ImageSet & { skipped: string[] }> = {};
  for (const [split, names] of Object.entries(SPLITS)) {
    const dir = names.map((n) => join(root, n)).find(existsSync);
    if (dir) parts[split] = await decodeAll(listImages(dir, classes), format, { skip, classes: classes.length });
  }
  const ordered = ['train', 'validation', 'test'].filter((s) => parts[s]);
  const whole = concatSets(ordered.map((s) => parts[s]!));
  let at = 0;
  const splits: { train: number[]; validation?: number[]; test?: number[] } = { train: [] };
  for (const s of ordered) {
    const n = parts[s]!.labels.length;
    splits[s as 'train' | 'validation' | 'test'] = Array.from({ length: n }, (_, i) => at + i);
    at += n;
  }
  return {
    ...whole,
    classNames: classes,
    skipped: ordered.flatMap((s) => parts[s]!.skipped),
    splits,
  };
}
