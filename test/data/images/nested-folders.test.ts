import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedData } from '../../../src/config/resolved.js';
import { MAX_FOLDER_DEPTH } from '../../../src/data/images/folder-walk.js';
import { readImageFolder } from '../../../src/data/images/imagefolder.js';
import { decodeImages } from '../../../src/data/images/images.js';
import { loadData, readExamples } from '../../../src/data/load-data.js';
import { DataError } from '../../../src/errors.js';

// Image folders as people keep them: classes with nested sub-folders, stray files,
// hidden folders, links, a class that is not wanted (with a corrupt file in it).
// Every image is 2x2 of one shade, its number in FILES times 4, so the pixels say
// which files were read and in what order.
const root = mkdtempSync(join(tmpdir(), 'tlx-nested-'));
const FILES = [
  'photos/animals/cat.png',
  'photos/animals/birds/crow.png',
  'photos/animals/birds/cartoon/tweety.png',
  'photos/animals/cats/tabby_mirror.png',
  'photos/animals/cats/tabby.jpg',
  'photos/animals/.thumbnails/cat.png',
  'photos/food/fruit/apple.png',
  'photos/food/fruit/pear.webp',
  'photos/food/bread.png',
  'photos/plants/trees/oak/leaf.png',
  'photos/plants/cartoon/tree.png',
  'shared/pine.png',
  'split/train/a/one.png',
  'split/train/a/cartoon/two.png',
  'split/train/b/deep/three.png',
  'split/test/a/four.png',
  'split/test/b/cartoon/five.png',
  'split/test/b/six.png',
];
const shade = (path: string) => 4 * (FILES.indexOf(path) + 1);
const format = { size: [2, 2] as [number, number], channels: 1 as const, resize: 'nearest' as const, background: 'white' };
const DEFAULTS = { validation: 0.1, test: 0.1, resize: 'nearest', skipUnreadable: false, background: 'white', imageSize: [2, 2], channels: 1 } as const;

/** The shades of a set's images, in order: which files were read. */
const shades = (pixels: Uint8Array) => Array.from({ length: pixels.length / 4 }, (_, i) => pixels[i * 4]!);
const expectFiles = (pixels: Uint8Array, files: string[]) => expect(shades(pixels)).toEqual(files.map(shade));

beforeAll(async () => {
  await Promise.all(FILES.map(async (path) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    const v = shade(path);
    const image = sharp({ create: { width: 2, height: 2, channels: 3, background: { r: v, g: v, b: v } } });
    await (path.endsWith('.jpg') ? image.jpeg({ quality: 100 }) : path.endsWith('.webp') ? image.webp({ lossless: true }) : image.png()).toFile(file);
  }));
  writeFileSync(join(root, 'photos/food/fruit/notes.txt'), 'not an image');
  // A class nobody selects, with a file that cannot be decoded: never read when classes are chosen.
  mkdirSync(join(root, 'photos/symbols'), { recursive: true });
  writeFileSync(join(root, 'photos/symbols/broken.png'), 'not a PNG');
  // Links to a folder outside, twice (not a loop: both are read).
  symlinkSync(join(root, 'shared'), join(root, 'photos/plants/linked'));
  symlinkSync(join(root, 'shared'), join(root, 'photos/plants/trees/also-linked'));
});

describe('image folders with nested sub-folders', () => {
  it('a class owns the images anywhere inside its folder, sorted by path; hidden folders and other files ignored', async () => {
    const set = await decodeImages(await readImageFolder(join(root, 'photos'), { format, skip: false, classes: ['animals', 'food', 'plants'] }));
    expect(set.classNames).toEqual(['animals', 'food', 'plants', 'symbols']);
    expect(set.classes).toBe(4);
    const animals = ['photos/animals/birds/cartoon/tweety.png', 'photos/animals/birds/crow.png', 'photos/animals/cat.png',
      'photos/animals/cats/tabby.jpg', 'photos/animals/cats/tabby_mirror.png'];
    const food = ['photos/food/bread.png', 'photos/food/fruit/apple.png', 'photos/food/fruit/pear.webp'];
    const plants = ['photos/plants/cartoon/tree.png', 'shared/pine.png', 'shared/pine.png', 'photos/plants/trees/oak/leaf.png'];
    expectFiles(set.pixels, [...animals, ...food, ...plants]);
    expect([...set.labels]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('exclude drops files by their path below the folder; include keeps only matching ones', async () => {
    const block = { ...DEFAULTS, dataset: 'imagefolder', path: 'photos', classes: ['animals', 'food', 'plants'] } as const;
    const excluded = await decodeImages(await readExamples({ ...block, exclude: ['**/cartoon/**', '**/*_mirror*', 'plants/linked/**'] }, { baseDir: root, env: {} }));
    expectFiles(excluded.pixels, ['photos/animals/birds/crow.png', 'photos/animals/cat.png', 'photos/animals/cats/tabby.jpg',
      'photos/food/bread.png', 'photos/food/fruit/apple.png', 'photos/food/fruit/pear.webp',
      'shared/pine.png', 'photos/plants/trees/oak/leaf.png']);
    const included = await decodeImages(await readExamples({ ...block, include: ['*/*.png', '**/oak/*'] }, { baseDir: root, env: {} }));
    expectFiles(included.pixels, ['photos/animals/cat.png', 'photos/food/bread.png', 'photos/plants/trees/oak/leaf.png']);
  });

  it('classes by name keep their order and relabel 0..k-1; by index (sorted folders) the same', async () => {
    const context = { baseDir: root, env: {} };
    const byName = await loadData({ ...DEFAULTS, dataset: 'imagefolder', path: 'photos', classes: ['plants', 'food'], validation: 1, test: 1 }, 3, context);
    const byIndex = await loadData({ ...DEFAULTS, dataset: 'imagefolder', path: 'photos', classes: [2, 1], validation: 1, test: 1 }, 3, context);
    expect(byName.classNames).toEqual(['plants', 'food']);
    expect(byName.classIds).toEqual([2, 1]);
    expect(byIndex.classNames).toEqual(['plants', 'food']);
    for (const part of ['train', 'validation', 'test'] as const) {
      expect(byName[part].pixels).toEqual(byIndex[part].pixels);
      expect(byName[part].labels).toEqual(byIndex[part].labels);
    }
    expect(byName.test.labels.length + byName.validation.labels.length + byName.train.labels.length).toBe(7);
    const plantShades = new Set([shade('photos/plants/cartoon/tree.png'), shade('shared/pine.png'), shade('photos/plants/trees/oak/leaf.png')]);
    const all = [byName.train, byName.validation, byName.test].flatMap((s) => shades(s.pixels).map((v, i) => [v, s.labels[i]!] as const));
    for (const [v, label] of all) expect(label === 0, `shade ${v}`).toBe(plantShades.has(v));
  });

  it('explicit train/ and test/ splits: nested images belong to their class, patterns see the split folder', async () => {
    const set = await decodeImages(await readImageFolder(join(root, 'split'), { format, skip: false, exclude: ['train/**/cartoon/**'] }));
    expect(set.classNames).toEqual(['a', 'b']);
    expectFiles(set.pixels, ['split/train/a/one.png', 'split/train/b/deep/three.png', 'split/test/a/four.png', 'split/test/b/cartoon/five.png', 'split/test/b/six.png']);
    expect(set.splits).toEqual({ train: [0, 1], test: [2, 3, 4] });
  });

  it(`folders ${MAX_FOLDER_DEPTH} deep are read`, async () => {
    const deep = join(root, 'deep');
    const names = Array.from({ length: MAX_FOLDER_DEPTH }, (_, i) => `d${i}`);
    mkdirSync(join(deep, 'b', ...names), { recursive: true });
    mkdirSync(join(deep, 'a'), { recursive: true });
    for (const [dir, v] of [[join(deep, 'a'), 10], [join(deep, 'b', ...names), 20]] as const) {
      await sharp({ create: { width: 2, height: 2, channels: 3, background: { r: v, g: v, b: v } } }).png().toFile(join(dir, 'x.png'));
    }
    const set = await decodeImages(await readImageFolder(deep, { format, skip: false }));
    expect(shades(set.pixels)).toEqual([10, 20]);
  });

  it.each([
    { name: 'a class given twice, by name and by index', classes: ['food', 1], message: /^class 1 is given twice \(also as "food"\)$/, code: 'E_CLASS_REPEATED' },
    { name: 'an index past the folders', classes: [0, 4], message: /^class 4 is out of range: the folder has classes 0-3$/, code: 'E_CLASS_RANGE', hint: /animals, food, plants, symbols/ },
    { name: 'a misspelt name', classes: ['animals', 'plnts'], message: /^no class 'plnts' in the folder$/, code: 'E_CLASS_NAME', hint: /did you mean 'plants'\?/ },
  ])('$name: a DataError naming the folder', async ({ classes, message, code, hint }) => {
    const error = await readExamples({ ...DEFAULTS, dataset: 'imagefolder', path: 'photos', classes } as ResolvedData, { baseDir: root, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message.slice(join(root, 'photos').length + 2)).toMatch(message);
    expect((error as DataError).code).toBe(code);
    if (hint) expect((error as DataError).hint).toMatch(hint);
  });

  it('without `classes` every class folder is read (so the corrupt file in symbols/ is found)', async () => {
    const error = await readImageFolder(join(root, 'photos'), { format, skip: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toContain(join(root, 'photos/symbols/broken.png'));
  });
});
