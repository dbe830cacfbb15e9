import type { VectorSink } from './types.js';

/**
 * Collects the vectors of a vocabulary's words from a file read once, in any order.
 *
 * - The exact word is used first. When it is absent and the file holds its lowercase
 *   form, that form's vector is used (GloVe is lowercase, word2vec and fastText are
 *   cased: "Paris" finds "paris" in GloVe, and its own vector in word2vec).
 * - Where a word appears twice in a file, its first occurrence wins.
 * - The first `reserved` rows (padding and the out-of-vocabulary token in tlx's
 *   vocabularies) are never looked up: zeros, not found.
 */
export class VocabularyLookup implements VectorSink {
  private readonly exact = new Map<string, number[]>();
  private readonly lower = new Map<string, number[]>();
  private dim = 0;
  private values = new Float32Array(0);
  private fallback = new Float32Array(0);
  private readonly found: Uint8Array;
  private readonly foundLower: Uint8Array;

  constructor(private readonly vocabulary: readonly string[], reserved: number) {
    this.found = new Uint8Array(vocabulary.length);
    this.foundLower = new Uint8Array(vocabulary.length);
    for (let row = reserved; row < vocabulary.length; row++) {
      const word = vocabulary[row]!;
      push(this.exact, word, row);
      const lower = word.toLowerCase();
      if (lower !== word) push(this.lower, lower, row);
    }
  }

  setDim(dim: number): void {
    this.dim = dim;
    this.values = new Float32Array(this.vocabulary.length * dim);
    this.fallback = new Float32Array(this.lower.size === 0 ? 0 : this.vocabulary.length * dim);
  }

  wants(word: string): boolean {
    return this.exact.has(word) || this.lower.has(word);
  }

  put(word: string, vector: Float32Array): void {
    for (const row of this.exact.get(word) ?? []) {
      if (this.found[row]) continue;
      this.found[row] = 1;
      this.values.set(vector, row * this.dim);
    }
    for (const row of this.lower.get(word) ?? []) {
      if (this.foundLower[row]) continue;
      this.foundLower[row] = 1;
      this.fallback.set(vector, row * this.dim);
    }
  }

  /** The matrix: exact vectors, and lowercase ones where the exact word was absent. */
  finish(): { values: Float32Array; found: Uint8Array } {
    for (let row = 0; row < this.vocabulary.length; row++) {
      if (this.found[row] || !this.foundLower[row]) continue;
      this.found[row] = 1;
      this.values.set(this.fallback.subarray(row * this.dim, (row + 1) * this.dim), row * this.dim);
    }
    return { values: this.values, found: this.found };
  }
}

function push(map: Map<string, number[]>, word: string, row: number): void {
  const rows = map.get(word);
  if (rows) rows.push(row);
  else map.set(word, [row]);
}
