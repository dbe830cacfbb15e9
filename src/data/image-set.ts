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
}

export function imageSize(set: Pick<ImageSet, 'shape'>): number {
  return set.shape[0] * set.shape[1] * set.shape[2];
}
