import type { FileFormat } from './decode-images.js';

/** What every set of labelled images has, whether its pixels are in memory or in files. */
interface Labelled {
  readonly labels: Int32Array;
  readonly shape: readonly [number, number, number];
  /** Number of classes the labels range over. */
  readonly classes: number;
  readonly classNames?: readonly string[];
  /** Files left out because they could not be decoded (skipUnreadable). */
  readonly skipped?: readonly string[];
  /** Splits the dataset comes with (image folders with train/ val/ test/), as indices. */
  readonly splits?: { readonly train: readonly number[]; readonly validation?: readonly number[]; readonly test?: readonly number[] };
}

/**
 * Images as 8-bit pixels (row-major, channels last) and integer labels. Pixels stay
 * 8-bit in memory (a quarter of float32) and become float tensors a batch at a time.
 */
export interface ImageSet extends Labelled {
  readonly pixels: Uint8Array;
}

/**
 * Image files, every one checked readable, not kept decoded: a folder of 20,000
 * photos at 224 px is 3 GB of pixels but a few MB of paths. They are decoded a chunk
 * at a time where they are used (images.ts), so features can be kept instead of pixels.
 */
export interface ImageFiles extends Labelled {
  readonly files: readonly string[];
  readonly format: FileFormat;
}

/** Labelled images in memory or on disk; images.ts has the operations on both. */
export type Images = ImageSet | ImageFiles;

/** The most classes a dataset may have: an integer label past it is taken for a mistake, not a class number. */
export const MAX_CLASSES = 100_000;

export function imageSize(set: Pick<Images, 'shape'>): number {
  return set.shape[0] * set.shape[1] * set.shape[2];
}
