import { DataError } from '../../errors.js';
import type { ImageSet } from './image-set.js';
import { readIdx } from './idx.js';

/** An image file ([n, rows, cols] or [n, rows, cols, channels]) and its label file ([n]) as one set. */
export async function idxImageSet(imagesFile: string, labelsFile: string): Promise<ImageSet> {
  const [images, labels] = await Promise.all([readIdx(imagesFile), readIdx(labelsFile)]);
  if (images.dims.length < 3 || images.dims.length > 4) {
    throw new DataError('E_DATA_FORMAT', imagesFile, `expected images with 3 or 4 dimensions, got [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) throw new DataError('E_DATA_FORMAT', labelsFile, `expected labels with 1 dimension, got [${labels.dims.join(', ')}]`);
  if (labels.dims[0] !== images.dims[0]) {
    throw new DataError('E_DATA_MISMATCH', labelsFile, `${labels.dims[0]} labels for ${images.dims[0]} images in ${imagesFile}`);
  }
  const [, rows = 0, cols = 0, channels = 1] = images.dims;
  const classes = labels.data.reduce((m, v) => Math.max(m, v), 0) + 1;
  return { pixels: images.data, labels: Int32Array.from(labels.data), shape: [rows, cols, channels], classes };
}

/** Several sets of the same shape as one (e.g. a dataset's train and test files pooled). */
export function concatSets(sets: readonly ImageSet[]): ImageSet {
  const first = sets[0]!;
  const pixels = new Uint8Array(sets.reduce((n, s) => n + s.pixels.length, 0));
  const labels = new Int32Array(sets.reduce((n, s) => n + s.labels.length, 0));
  let p = 0;
  let l = 0;
  for (const s of sets) {
    pixels.set(s.pixels, p);
    labels.set(s.labels, l);
    p += s.pixels.length;
    l += s.labels.length;
  }
  return { pixels, labels, shape: first.shape, classes: Math.max(...sets.map((s) => s.classes)) };
}
