import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DataError } from '../errors.js';
import { osReason } from '../os-error.js';
import { decodeAll, type PixelFormat } from './decode-images.js';
import type { ImageSet } from './image-set.js';
import { concatSets } from './idx-set.js';

const IMAGE = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const visible = (name: string) => !name.startsWith('.');
const SPLITS = { train: ['train'], validation: ['val', 'validation'], test: ['test'] } as const;

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new DataError('E_DATA_UNREADABLE', dir, `cannot list the folder: ${osReason(error)}`);
  }
}

/** Whether an entry is a folder, following a symbolic link; one that loops or leads nowhere is an error naming it. */
function isFolder(dir: string, entry: Dirent): boolean {
  if (!entry.isSymbolicLink()) return entry.isDirectory();
  const path = join(dir, entry.name);
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    throw new DataError('E_DATA_LINK', path, `cannot follow the symbolic link: ${osReason(error)}`,
      'remove the link, or point it at a class folder; names starting with "." are ignored');
  }
}

function classFolders(root: string): string[] {
  return entries(root).filter((e) => visible(e.name) && isFolder(root, e)).map((e) => e.name).sort();
}

function listImages(root: string, classes: readonly string[]): { file: string; label: number }[] {
  return classes.flatMap((name, label) => {
    const dir = join(root, name);
    if (!existsSync(dir)) return [];
    return entries(dir).map((e) => e.name).filter((f) => visible(f) && IMAGE.has(extname(f).toLowerCase())).sort()
      .map((f) => ({ file: join(dir, f), label }));
  });
}

/** Every class has images: a class without any trains a model that can never predict it. */
function requireEveryClass(root: string, classes: readonly string[], labels: ArrayLike<number>, skipped: number): void {
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  const empty = counts.findIndex((n) => n === 0);
  if (empty < 0) return;
  throw new DataError('E_DATA_EMPTY', join(root, classes[empty]!),
    `class folder has no ${skipped > 0 ? 'readable ' : ''}images (${[...IMAGE].join(', ')})`,
    'put images in it, or remove it (or hide it: names starting with "." are ignored)');
}

/** The images of `root`'s class folders, decoded; with `complete`, an empty class is an error, before decoding and after skipping. */
async function decodeClasses(root: string, classes: readonly string[], format: PixelFormat, skip: boolean, complete: boolean) {
  const listed = listImages(root, classes);
  if (complete) requireEveryClass(root, classes, listed.map((e) => e.label), 0);
  const set = await decodeAll(listed, format, { skip, classes: classes.length });
  if (complete) requireEveryClass(root, classes, set.labels, set.skipped.length);
  return set;
}

/**
 * One sub-folder per class (Keras image_dataset_from_directory, torchvision
 * ImageFolder); with train/, val/ and test/ sub-folders, those splits are kept.
 * Classes are the folder names in sorted order; hidden files are ignored. Every
 * class must have (training) images.
 */
export async function readImageFolder(root: string, format: PixelFormat, skip: boolean): Promise<ImageSet> {
  let stats;
  try {
    stats = statSync(root);
  } catch (error) {
    throw new DataError('E_DATA_MISSING', root, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : `cannot read: ${osReason(error)}`);
  }
  if (!stats.isDirectory()) throw new DataError('E_DATA_FORMAT', root, 'is a file, expected a folder with one sub-folder per class');
  const explicit = SPLITS.train.some((s) => existsSync(join(root, s)));
  if (!explicit) {
    const classes = classFolders(root);
    if (classes.length < 2) throw new DataError('E_DATA_FORMAT', root, `expected one sub-folder per class, found ${classes.length}`);
    return { ...await decodeClasses(root, classes, format, skip, true), classNames: classes };
  }
  const classes = classFolders(join(root, SPLITS.train.find((s) => existsSync(join(root, s)))!));
  const parts: Record<string, ImageSet & { skipped: string[] }> = {};
  for (const [split, names] of Object.entries(SPLITS)) {
    const dir = names.map((n) => join(root, n)).find(existsSync);
    if (dir) parts[split] = await decodeClasses(dir, classes, format, skip, split === 'train');
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
