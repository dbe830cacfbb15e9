import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../../src/config/load.js';
import type { ResolvedData } from '../../../src/config/resolved.js';
import { decodeImage } from '../../../src/data/images/decode-images.js';
import { decodeImages } from '../../../src/data/images/images.js';
import { readExamples } from '../../../src/data/load-data.js';
import { photoStamps } from '../../support/optional.js';

// Real photographs as Debian ships them (tuxpaint-stamps-default): PNGs with alpha
// in nested <category>/<sub>/ folders, with cartoons, mirrored copies, sounds and
// texts beside them. A data block selects the five photo categories in place.
const stamps = photoStamps();
const CLASSES = ['animals', 'food', 'plants', 'household', 'vehicles'];
const EXCLUDE = ['**/cartoon/**', '**/*_mirror*'];
const SIZE = 16;
const block = {
  dataset: 'imagefolder', path: stamps.dir, classes: CLASSES, exclude: EXCLUDE, imageSize: [SIZE, SIZE], channels: 3,
  resize: 'bilinear', background: 'white', skipUnreadable: false, validation: 0.1, test: 0.2,
} as const satisfies ResolvedData;

/** The photos of a category, found without tlx: every image file below it, but cartoons and mirrored copies, sorted by path. */
function photosOf(category: string): string[] {
  const dir = join(stamps.dir, category);
  return readdirSync(dir, { recursive: true }).map(String)
    .filter((path) => /\.(png|jpe?g|webp|gif|tiff?)$/i.test(path))
    .filter((path) => { const names = path.split('/'); return !names.includes('cartoon') && !names.at(-1)!.includes('_mirror') && !names.some((n) => n.startsWith('.')); })
    .map((path) => join(dir, path)).sort();
}

describe.runIf(stamps.available)(`an image folder of real photographs ${stamps.label}`, () => {
  // (The body is collected even where the package is absent: read the folder only where it is.)
  const expected = stamps.available ? CLASSES.map(photosOf) : [];

  it('the data block finds each category\'s photos in its nested folders, and decodes them', async () => {
    console.log(`tuxpaint photos per class: ${CLASSES.map((c, i) => `${c} ${expected[i]!.length}`).join(', ')}`);
    const set = await decodeImages(await readExamples(block, { baseDir: '/', env: {} }));
    expect(set.classNames).toContain('symbols'); // the other folders are classes too, just not read
    const ids = CLASSES.map((c) => set.classNames!.indexOf(c));
    const counts = ids.map((id) => set.labels.filter((l) => l === id).length);
    expect(counts).toEqual(expected.map((files) => files.length));
    expect(Math.min(...counts)).toBeGreaterThan(10);
    expect(set.shape).toEqual([SIZE, SIZE, 3]);
    // The first photo of each class is the first file of its sorted list, flattened onto white.
    let at = 0;
    for (const files of expected) {
      const { data } = await sharp(files[0]!).flatten({ background: '#ffffff' }).resize(SIZE, SIZE, { fit: 'fill', kernel: 'linear' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      expect(set.pixels.subarray(at * SIZE * SIZE * 3, (at + 1) * SIZE * SIZE * 3)).toEqual(new Uint8Array(data));
      at += files.length;
    }
  }, 60_000);

  it('at 224x224, transparent corners become the background', async () => {
    let checked = 0;
    for (const files of expected.slice(0, 3)) {
      const file = files[Math.floor(files.length / 2)]!;
      const { data, info } = await sharp(file).ensureAlpha().resize(224, 224, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
      const alphaAt = (x: number, y: number) => data[(y * info.width + x) * 4 + 3]!;
      for (const background of ['white', 'black'] as const) {
        const pixels = await decodeImage(file, { size: [224, 224], channels: 3, resize: 'bilinear', background });
        expect(pixels.length).toBe(224 * 224 * 3);
        for (const [x, y] of [[0, 0], [223, 0], [0, 223], [223, 223]] as const) {
          if (alphaAt(x, y) !== 0) continue;
          checked++;
          expect(Array.from(pixels.subarray((y * 224 + x) * 3, (y * 224 + x) * 3 + 3)), `${file} (${x}, ${y})`).toEqual(background === 'white' ? [255, 255, 255] : [0, 0, 0]);
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  }, 60_000);

  it('tlx validate accepts the data block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-stamps-'));
    const file = join(dir, 'photos.yaml');
    writeFileSync(file, `name: photos
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1] }
  cut: flatten
target:
  data:
    dataset: imagefolder
    path: ${stamps.dir}
    classes: [${CLASSES.join(', ')}]
    exclude: [${EXCLUDE.map((p) => `'${p}'`).join(', ')}]
    imageSize: [32, 32]
`);
    const loaded = loadExperiment(file, dir);
    expect(loaded.missing).toEqual([]);
    expect(loaded.experiment.target.data.background).toBe('white');
    const bin = join(process.cwd(), 'dist/src/cli/bin.js');
    if (!existsSync(bin)) return; // the built binary's check runs where it is built (npm run build)
    const { stdout } = await promisify(execFile)('node', [bin, 'validate', file], { cwd: dir });
    expect(stdout).toMatch(/photos/);
  }, 60_000);
});
