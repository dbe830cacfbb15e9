/**
 * Images as 8-bit pixels (row-major, channels last) and integer labels. Pixels stay
 * 8-bit in memory (a quarter of float32) and become float tensors a batch at a time.
 */
export interface ImageSet {
  readonly pixels: Uint8Array;
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

/** The most classes a dataset may have: an integer label past it is taken for a mistake, not a class number. */
export const MAX_CLASSES = 100_000;

export function imageSize(set: Pick<ImageSet, 'shape'>): number {
  return set.shape[0] * set.shape[1] * set.shape[2];
}
