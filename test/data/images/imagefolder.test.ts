import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../../src/data/images/csv-table.js';
import { loadData } from '../../../src/data/load-data.js';
import { readImageFolder } from '../../../src/data/images/imagefolder.js';
import { decodeImages } from '../../../src/data/images/images.js';
import { loadMnist } from '../../../src/data/images/mnist.js';
import { DataError } from '../../../src/errors.js';

// Image folders written by the test from real MNIST digits: 40x36 RGB, PNG and
// JPEG, one folder per class, with a hidden file and a stray text file.
const root = mkdtempSync(join(tmpdir(), 'tlx-folder-'));
const format = { size: [28, 28] as [number, number], channels: 1 as const, resize: 'bilinear' as const, background: 'white' };

async function writeDigit(file: string, index: number): Promise<void> {
  const digits = loadMnist();
  const gray = digits.pixels.subarray(index * 784, (index + 1) * 784);
  const img = sharp(Buffer.from(gray), { raw: { width: 28, height: 28, channels: 1 } }).resize(36, 40).toColourspace('srgb');
  await (file.endsWith('.png') ? img.png() : img.jpeg({ quality: 95 })).toFile(file);
}

beforeAll(async () => {
  const digits = loadMnist();
  for (const digit of [3, 7]) {
    const dir = join(root, 'flat', `digit-${digit}`);
    mkdirSync(dir, { recursive: true });
    const indices = [...digits.labels.keys()].filter((i) => digits.labels[i] === digit).slice(0, 6);
    await Promise.all(indices.map((i, k) => writeDigit(join(dir, `${k}.${k % 2 ? 'png' : 'jpg'}`), i)));
    writeFileSync(join(dir, '.DS_Store'), 'junk');
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    for (const split of ['train', 'test']) {
      const sdir = join(root, 'split', split, `digit-${digit}`);
      mkdirSync(sdir, { recursive: true });
      await Promise.all(indices.slice(0, split === 'train' ? 4 : 2).map((i, k) => writeDigit(join(sdir, `${k}.png`), i)));
    }
  }
  writeFileSync(join(root, 'table.csv'), 'path,label\nflat/digit-3/0.jpg,three\n"flat/digit-7/1.png",seven\nflat/digit-7/0.jpg,seven\n');
});

describe('imagefolder', () => {
  it('classes from sorted folder names; hidden and non-image files ignored; resized and gray-converted', async () => {
    const set = await decodeImages(await readImageFolder(join(root, 'flat'), { format, skip: false }));
    expect(set.classNames).toEqual(['digit-3', 'digit-7']);
    expect(set.labels.length).toBe(12);
    expect(set.shape).toEqual([28, 28, 1]);
    // A real digit survives the round trip: bright stroke pixels on a dark ground.
    const first = set.pixels.subarray(0, 784);
    expect(Math.max(...first)).toBeGreaterThan(200);
    expect(first.filter((v) => v < 30).length).toBeGreaterThan(400);
  });

  it('RGB at another size when asked', async () => {
    const set = await decodeImages(await readImageFolder(join(root, 'flat'), { format: { size: [20, 24], channels: 3, resize: 'nearest', background: 'white' }, skip: false }));
    expect(set.shape).toEqual([20, 24, 3]);
    expect(set.pixels.length).toBe(12 * 20 * 24 * 3);
  });

  it('keeps explicit train/ and test/ splits and carves validation from train', async () => {
    const data = await loadData({ dataset: 'imagefolder', path: 'split', imageSize: [28, 28], channels: 1, validation: 0.25, test: 0.2, resize: 'bilinear', skipUnreadable: false, background: 'white' },
      1, { baseDir: root, env: {} });
    expect(data.test.labels.length).toBe(4);
    expect(data.validation.labels.length).toBe(2);
    expect(data.train.labels.length).toBe(6);
  });

  it('a corrupt JPEG is an error naming it; skipUnreadable skips and reports it', async () => {
    const dir = join(root, 'corrupt');
    mkdirSync(join(dir, 'a'), { recursive: true });
    mkdirSync(join(dir, 'b'), { recursive: true });
    await writeDigit(join(dir, 'a', 'ok.png'), 0);
    await writeDigit(join(dir, 'b', 'ok.png'), 1);
    writeFileSync(join(dir, 'b', 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
    const error = await readImageFolder(dir, { format, skip: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toContain(join(dir, 'b', 'broken.jpg'));
    expect((error as DataError).hint).toContain('skipUnreadable: true');
    expect((error as DataError).exitCode).toBe(2);
    const skipped = await readImageFolder(dir, { format, skip: true });
    expect(skipped.labels.length).toBe(2);
    expect(skipped.skipped).toEqual([join(dir, 'b', 'broken.jpg')]);
  });
});

describe('csv', () => {
  it('paths relative to the table, named labels as sorted classes', async () => {
    const set = await readCsvTable(join(root, 'table.csv'), format, false);
    expect(set.classNames).toEqual(['seven', 'three']);
    expect([...set.labels]).toEqual([1, 0, 0]);
  });

  it('classes by label name, in the order given; a name the table lacks is a DataError naming it', async () => {
    const block = { dataset: 'csv', path: 'table.csv', imageSize: [28, 28], channels: 1, validation: 0, test: 0, resize: 'bilinear', skipUnreadable: false, background: 'white' } as const;
    const data = await loadData({ ...block, classes: ['three', 'seven'] }, 1, { baseDir: root, env: {} });
    expect(data.classNames).toEqual(['three', 'seven']);
    expect(data.classIds).toEqual([1, 0]);
    expect([...data.train.labels].sort()).toEqual([0, 1, 1]);
    const error = await loadData({ ...block, classes: ['three', 'sevn'] }, 1, { baseDir: root, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe(`${join(root, 'table.csv')}: no class 'sevn' in the table's labels`);
    expect((error as DataError).hint).toBe("did you mean 'seven'?");
  });
});
