import { createWriteStream, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import sharp from 'sharp';
import type { Data } from '../../src/config/experiment.generated.js';
import { MAX_FOLDER_DEPTH } from '../../src/data/images/folder-walk.js';

// Data files that tlx must refuse, written by the tests themselves into a temp
// folder. Each case gives the data block naming them (paths relative to the
// folder) and the start of the message tlx must print, so that the readers' unit
// table and the built CLI's table check the same inputs.

/** Gzips `mib` MiB of zeros (after `prefix`) as it streams: a file of about 1 KiB per MiB, small in memory too. */
export async function gzipBomb(file: string, mib: number, prefix = new Uint8Array(0)): Promise<void> {
  const zeros = Buffer.alloc(2 ** 20);
  async function* chunks() {
    yield Buffer.from(prefix);
    for (let i = 0; i < mib; i++) yield zeros;
  }
  mkdirSync(dirname(file), { recursive: true });
  await pipeline(Readable.from(chunks()), createGzip({ level: 9 }), createWriteStream(file));
}

/** An IDX header of unsigned bytes with these dimensions. */
export function idxHeader(dims: readonly number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  view.setUint8(2, 0x08);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return new Uint8Array(view.buffer);
}

/** `count` small PNGs (8x8, a different shade each) in `dir`. */
export async function writePngs(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await Promise.all(Array.from({ length: count }, (_, i) =>
    sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 20 * i, g: 100, b: 0 } } }).png().toFile(join(dir, `${i}.png`))));
}

export interface HostileData {
  readonly name: string;
  /** Writes the files into `dir` and returns the data block naming them (relative to `dir`). */
  readonly write: (dir: string) => Promise<Data>;
  /** The message, after `tlx: ` and the file's absolute path. */
  readonly message: RegExp;
  /** The file or folder the message names, relative to `dir`. */
  readonly names: string;
  readonly code: string;
  /** Also run through the built CLI (the inputs of issue 13; the others only in the readers' table). */
  readonly cli?: true;
}

/** Ten labels, classes 0 and 1, for the IDX cases. */
const labels = (dir: string) => writeFileSync(join(dir, 'labels.idx'), Buffer.concat([idxHeader([10]), Buffer.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])]));

/** Two classes of three images in `dir`. */
const twoClasses = (dir: string) => Promise.all([writePngs(join(dir, 'a'), 3), writePngs(join(dir, 'b'), 3)]);

export const HOSTILE_DATA: readonly HostileData[] = [
  {
    name: 'CSV label 99999999 (taken for the class count)',
    write: async (dir) => {
      await writePngs(join(dir, 'img'), 2);
      writeFileSync(join(dir, 'big.csv'), 'path,label\nimg/0.png,0\n\nimg/1.png,99999999\n');
      return { dataset: 'csv', path: 'big.csv' };
    },
    names: 'big.csv',
    message: /^line 4: label 99999999 is past the limit: integer labels number the classes from 0 to at most 99999$/,
    code: 'E_DATA_LABEL',
    cli: true,
  },
  {
    name: 'CSV integer labels with a class that has no rows (numbered from 1)',
    write: async (dir) => {
      await writePngs(join(dir, 'img'), 2);
      writeFileSync(join(dir, 'gap.csv'), 'path,label\nimg/0.png,1\nimg/1.png,2\n');
      return { dataset: 'csv', path: 'gap.csv' };
    },
    names: 'gap.csv',
    message: /^integer labels number the classes from 0 to 2, but class 0 has no rows$/,
    code: 'E_DATA_EMPTY',
  },
  {
    name: 'CSV with a quote never closed (the rest of the file would be one path)',
    write: async (dir) => {
      await writePngs(join(dir, 'img'), 2);
      writeFileSync(join(dir, 'quote.csv'), 'path,label\nimg/0.png,0\n"img/1.png,1\nimg/0.png,1\n');
      return { dataset: 'csv', path: 'quote.csv' };
    },
    names: 'quote.csv',
    message: /^line 3: a quoted field that starts here or later is never closed$/,
    code: 'E_DATA_FORMAT',
  },
  {
    name: 'CSV with only a header',
    write: async (dir) => {
      writeFileSync(join(dir, 'header.csv'), 'path,label\n');
      return { dataset: 'csv', path: 'header.csv' };
    },
    names: 'header.csv',
    message: /^no rows after the header: expected one line per image \(path,label\)$/,
    code: 'E_DATA_EMPTY',
    cli: true,
  },
  {
    name: 'image folder with an empty class folder',
    write: async (dir) => {
      await twoClasses(join(dir, 'empty'));
      mkdirSync(join(dir, 'empty', 'c'));
      writeFileSync(join(dir, 'empty', 'c', 'notes.txt'), 'not an image');
      return { dataset: 'imagefolder', path: 'empty' };
    },
    names: 'empty/c',
    message: /^class folder has no images \(\.jpg, \.jpeg, \.png, \.webp, \.gif, \.tif, \.tiff\)$/,
    code: 'E_DATA_EMPTY',
    cli: true,
  },
  {
    name: 'image folder with train/ and test/, an empty class folder in train/',
    write: async (dir) => {
      await Promise.all([twoClasses(join(dir, 'split', 'train')), twoClasses(join(dir, 'split', 'test'))]);
      mkdirSync(join(dir, 'split', 'train', 'c'));
      return { dataset: 'imagefolder', path: 'split' };
    },
    names: 'split/train/c',
    message: /^class folder has no images/,
    code: 'E_DATA_EMPTY',
  },
  {
    name: 'image folder with a symbolic link loop as a class',
    write: async (dir) => {
      await twoClasses(join(dir, 'loop'));
      symlinkSync('y', join(dir, 'loop', 'x'));
      symlinkSync('x', join(dir, 'loop', 'y'));
      return { dataset: 'imagefolder', path: 'loop' };
    },
    names: 'loop/x',
    message: /^cannot follow the symbolic link: a loop of symbolic links \(ELOOP\)$/,
    code: 'E_DATA_LINK',
    cli: true,
  },
  {
    name: 'image folder with a symbolic link loop as an image',
    write: async (dir) => {
      await twoClasses(join(dir, 'selfie'));
      symlinkSync('me.png', join(dir, 'selfie', 'b', 'me.png'));
      return { dataset: 'imagefolder', path: 'selfie' };
    },
    names: 'selfie/b/me.png',
    message: /^cannot read: a loop of symbolic links \(ELOOP\)$/,
    code: 'E_DATA_CORRUPT',
  },
  {
    name: 'image folder with a link inside a class that leads back to the class folder',
    write: async (dir) => {
      await twoClasses(join(dir, 'cycle'));
      mkdirSync(join(dir, 'cycle', 'b', 'more'));
      symlinkSync('..', join(dir, 'cycle', 'b', 'more', 'again'));
      return { dataset: 'imagefolder', path: 'cycle' };
    },
    names: 'cycle/b/more/again',
    message: /^the symbolic link leads back to .*\/cycle\/b, a folder it is in: the folder would contain itself$/,
    code: 'E_DATA_LINK',
    cli: true,
  },
  {
    name: 'image folder with a link inside a class that leads nowhere (a sub-folder gone?)',
    write: async (dir) => {
      await twoClasses(join(dir, 'dangling'));
      symlinkSync('../moved-away', join(dir, 'dangling', 'b', 'more'));
      return { dataset: 'imagefolder', path: 'dangling' };
    },
    names: 'dangling/b/more',
    message: /^cannot follow the symbolic link: no such file or folder \(ENOENT\)$/,
    code: 'E_DATA_LINK',
  },
  {
    name: 'image folder with sub-folders nested past the depth limit',
    write: async (dir) => {
      await twoClasses(join(dir, 'deep'));
      const names = Array.from({ length: MAX_FOLDER_DEPTH + 1 }, (_, i) => `d${i}`);
      mkdirSync(join(dir, 'deep', 'b', ...names), { recursive: true });
      return { dataset: 'imagefolder', path: 'deep' };
    },
    names: `deep/b/${Array.from({ length: MAX_FOLDER_DEPTH + 1 }, (_, i) => `d${i}`).join('/')}`,
    message: new RegExp(`^folders nest more than ${MAX_FOLDER_DEPTH} deep below the class folder .*/deep/b$`),
    code: 'E_DATA_DEPTH',
  },
  {
    name: 'image folder whose classes name a folder it does not have',
    write: async (dir) => {
      await twoClasses(join(dir, 'named'));
      return { dataset: 'imagefolder', path: 'named', classes: ['a', 'bb'] };
    },
    names: 'named',
    message: /^no class 'bb' in the folder$/,
    code: 'E_CLASS_NAME',
  },
  {
    name: 'image folder whose exclude patterns leave a class without images',
    write: async (dir) => {
      await twoClasses(join(dir, 'filtered'));
      return { dataset: 'imagefolder', path: 'filtered', exclude: ['b/**'] };
    },
    names: 'filtered/b',
    message: /^class folder has no images \(.*\) that the include \/ exclude patterns keep$/,
    code: 'E_DATA_EMPTY',
  },
  {
    name: 'image folder that is a file',
    write: async (dir) => {
      writeFileSync(join(dir, 'photos.txt'), 'not a folder');
      return { dataset: 'imagefolder', path: 'photos.txt' };
    },
    names: 'photos.txt',
    message: /^is a file, expected a folder with one sub-folder per class$/,
    code: 'E_DATA_FORMAT',
  },
  {
    name: 'gzip bomb: a valid IDX header, then 128 MiB of zeros',
    write: async (dir) => {
      await gzipBomb(join(dir, 'bomb-images.gz'), 128, idxHeader([10, 28, 28]));
      labels(dir);
      return { dataset: 'idx', images: 'bomb-images.gz', labels: 'labels.idx' };
    },
    names: 'bomb-images.gz',
    message: /^IDX data is longer than its header says: header \[10, 28, 28\] needs 7840 bytes, the file has more$/,
    code: 'E_DATA_TRUNCATED',
    cli: true,
  },
  {
    name: 'gzip bomb: 128 MiB of zeros',
    write: async (dir) => {
      await gzipBomb(join(dir, 'zeros.gz'), 128);
      labels(dir);
      return { dataset: 'idx', images: 'zeros.gz', labels: 'labels.idx' };
    },
    names: 'zeros.gz',
    message: /^IDX element type 0x0 is not supported/,
    code: 'E_DATA_FORMAT',
  },
  {
    name: 'IDX header declaring 100 GB of images',
    write: async (dir) => {
      await gzipBomb(join(dir, 'huge.gz'), 1, idxHeader([100_000, 1000, 1000]));
      labels(dir);
      return { dataset: 'idx', images: 'huge.gz', labels: 'labels.idx' };
    },
    names: 'huge.gz',
    message: /^IDX header \[100000, 1000, 1000\] declares 100000000000 bytes of data, more than the 2147483648 tlx reads from one file$/,
    code: 'E_DATA_TOO_LARGE',
  },
];
