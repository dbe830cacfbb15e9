import { existsSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DataError } from '../../errors.js';
import { osReason } from '../../os-error.js';
import { type ClassRef, selectClasses } from '../class-select.js';
import { checkFiles, type FileFormat } from './decode-images.js';
import { classFolders, classRoot, IMAGE_EXTENSIONS, imagesUnder, TRAIN_FOLDERS } from './folder-walk.js';
import { pathFilter } from './glob.js';
import type { ImageFiles } from './image-set.js';
import { concatFiles, filesSet } from './images.js';

const SPLITS = { train: TRAIN_FOLDERS, validation: ['val', 'validation'], test: ['test'] } as const;

/** How an image folder is read: the pixel format, and which of its classes and files are kept. */
export interface FolderOptions {
  readonly format: FileFormat;
  /** Skip images that cannot be decoded instead of stopping (skipUnreadable). */
  readonly skip: boolean;
  /** The classes to read, by index or folder name; all when absent. */
  readonly classes?: readonly ClassRef[];
  /** Glob patterns over paths relative to the root: a file is read when it matches one of `include` (if given) and none of `exclude`. */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

/** A class folder read: its label (its index among all class folders) and name. */
interface ClassFolder {
  readonly id: number;
  readonly name: string;
}

type Keep = (file: string) => boolean;

function listImages(dir: string, classes: readonly ClassFolder[], keep: Keep): { file: string; label: number }[] {
  return classes.flatMap(({ id, name }) => {
    const classDir = join(dir, name);
    if (!existsSync(classDir)) return [];
    return imagesUnder(classDir, keep).map((file) => ({ file, label: id }));
  });
}

/** Every class has images: a class without any trains a model that can never predict it. */
function requireEveryClass(dir: string, classes: readonly ClassFolder[], labels: ArrayLike<number>, why: { skipped: number; filtered: boolean }): void {
  const counts = new Map(classes.map((c) => [c.id, 0]));
  for (let i = 0; i < labels.length; i++) counts.set(labels[i]!, (counts.get(labels[i]!) ?? 0) + 1);
  const empty = classes.find((c) => counts.get(c.id) === 0);
  if (empty == null) return;
  const kept = why.filtered ? ' that the include / exclude patterns keep' : '';
  throw new DataError('E_DATA_EMPTY', join(dir, empty.name),
    `class folder has no ${why.skipped > 0 ? 'readable ' : ''}images (${IMAGE_EXTENSIONS.join(', ')})${kept}`,
    why.filtered ? 'check the patterns (they match paths relative to the data folder, e.g. cats/x.jpg), or leave the class out with `classes`'
      : 'put images in it, or remove it (or hide it: names starting with "." are ignored)');
}

/**
 * The images of `dir`'s class folders, each checked readable (decoded once, not
 * kept); with `complete`, an empty class is an error, before checking and after
 * skipping.
 */
async function checkClasses(dir: string, classes: readonly ClassFolder[], count: number, options: FolderOptions & { keep: Keep; complete: boolean }): Promise<ImageFiles> {
  const listed = listImages(dir, classes, options.keep);
  const filtered = options.include != null || (options.exclude?.length ?? 0) > 0;
  if (options.complete) requireEveryClass(dir, classes, listed.map((e) => e.label), { skipped: 0, filtered });
  const { kept, skipped } = await checkFiles(listed, options.format, { skip: options.skip });
  if (options.complete) requireEveryClass(dir, classes, kept.map((e) => e.label), { skipped: skipped.length, filtered });
  return filesSet(kept, options.format, count, skipped);
}

/** The class folders a data block keeps; a class it names that the folder does not have is an error naming the folder. */
function chosenClasses(dir: string, names: readonly string[], refs: readonly ClassRef[] | undefined): ClassFolder[] {
  if (refs == null) return names.map((name, id) => ({ id, name }));
  const chosen = selectClasses(refs, { count: names.length, names, what: 'the folder' });
  if (!chosen.ok) throw new DataError(chosen.code, dir, chosen.message, chosen.hint);
  return chosen.ids.map((id) => ({ id, name: names[id]! }));
}

/**
 * One folder per class (Keras image_dataset_from_directory, torchvision
 * ImageFolder): the images anywhere inside a class folder, in sub-folders too,
 * belong to it; with train/, val/ and test/ sub-folders, those splits are kept.
 * Classes are the folder names in sorted order (labels are positions in it, also
 * when only some classes are read); hidden files are ignored. Every class read
 * must have (training) images.
 */
export async function readImageFolder(root: string, options: FolderOptions): Promise<ImageFiles> {
  let stats;
  try {
    stats = statSync(root);
  } catch (error) {
    throw new DataError('E_DATA_MISSING', root, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : `cannot read: ${osReason(error)}`);
  }
  if (!stats.isDirectory()) throw new DataError('E_DATA_FORMAT', root, 'is a file, expected a folder with one sub-folder per class');
  const filter = pathFilter(options.include, options.exclude);
  const keep: Keep = (file) => filter(relative(root, file).split(sep).join('/'));
  const namesDir = classRoot(root);
  const names = classFolders(namesDir);
  if (namesDir === root) {
    if (names.length < 2) throw new DataError('E_DATA_FORMAT', root, `expected one sub-folder per class, found ${names.length}`);
    const classes = chosenClasses(root, names, options.classes);
    return { ...await checkClasses(root, classes, names.length, { ...options, keep, complete: true }), classNames: names };
  }
  const classes = chosenClasses(namesDir, names, options.classes);
  const parts: Record<string, ImageFiles> = {};
  for (const [split, folders] of Object.entries(SPLITS)) {
    const dir = folders.map((n) => join(root, n)).find(existsSync);
    if (dir) parts[split] = await checkClasses(dir, classes, names.length, { ...options, keep, complete: split === 'train' });
  }
  const ordered = ['train', 'validation', 'test'].filter((s) => parts[s]);
  const whole = concatFiles(ordered.map((s) => parts[s]!));
  let at = 0;
  const splits: { train: number[]; validation?: number[]; test?: number[] } = { train: [] };
  for (const s of ordered) {
    const n = parts[s]!.labels.length;
    splits[s as 'train' | 'validation' | 'test'] = Array.from({ length: n }, (_, i) => at + i);
    at += n;
  }
  return {
    ...whole,
    classNames: names,
    splits,
  };
}
