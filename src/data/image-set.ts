/** Images and integer labels, row-major, channels last. */
export interface ImageSet {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly shape: readonly [number, number, number];
  /** Number of classes the labels range over. */
  readonly classes: number;
}

export function imageCount(set: ImageSet): number {
  return set.labels.length;
}
