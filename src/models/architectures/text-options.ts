import type { EmbeddingTable } from './options.js';

/** What every built-in text architecture is built from. Inputs are int32 token ids, 0 = padding, 1 = unknown. */
export interface TextArchitectureOptions extends EmbeddingTable {
  /** Tokens per example (padded or cut to it). */
  readonly maxLength: number;
  readonly classes: number;
  /** text-cnn: window widths (3, 4, 5). */
  readonly widths?: readonly number[];
  /** text-cnn: feature maps per width (100). */
  readonly filters?: number;
  /** text-bigru: GRU units per direction (64). */
  readonly units?: number;
  /** Dropout before the output layer (0.5; text-bag has none). */
  readonly dropout?: number;
}
