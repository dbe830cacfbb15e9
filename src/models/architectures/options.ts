/** What every built-in image architecture is built from. */
export interface ImageArchitectureOptions {
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  /** MobileNet's width multiplier. */
  readonly alpha?: number;
}

/** A text architecture's embedding table: its rows (padding and unknown included), width and initial vectors. */
export interface EmbeddingTable {
  readonly vocabulary: number;
  readonly dim: number;
  /** vocabulary x dim, row-major: pretrained word vectors to start from; random when absent. */
  readonly embeddings?: Float32Array;
}

/** What a `source.pretrain` architecture is built from: images [height, width, channels], or texts [maxLength] with their embedding table. */
export interface ArchitectureOptions {
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly alpha?: number;
  readonly text?: EmbeddingTable;
}
