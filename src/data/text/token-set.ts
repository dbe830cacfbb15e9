import type { TextSet } from './text-set.js';

/**
 * Texts as a model reads them: token ids, `maxLength` per text (0 padding, 1 an
 * unknown word), row-major, beside the texts themselves (for reports and predict).
 */
export interface TokenSet extends TextSet {
  readonly tokens: Int32Array;
  readonly shape: readonly [number];
}

export function isTokenSet(set: object): set is TokenSet {
  return 'tokens' in set;
}

export function isTextSet(set: object): set is TextSet {
  return 'texts' in set;
}

/** The texts and tokens at `indices`, in that order, relabelled. */
export function pickTexts<T extends TextSet>(set: T, indices: readonly number[], relabel: (label: number) => number, classes: number): T {
  const labels = Int32Array.from(indices, (from) => relabel(set.labels[from]!));
  const picked: TextSet = {
    texts: indices.map((from) => set.texts[from]!), labels, classes,
    ...(set.domains ? { domains: indices.map((from) => set.domains![from]!) } : {}),
  };
  if (!isTokenSet(set)) return picked as T;
  const length = set.shape[0];
  const tokens = new Int32Array(indices.length * length);
  indices.forEach((from, to) => tokens.set(set.tokens.subarray(from * length, (from + 1) * length), to * length));
  return { ...picked, tokens, shape: set.shape } satisfies TokenSet as unknown as T;
}

/** The set in order, `size` texts at a time (views of its tokens). */
export function* tokenChunks(set: TokenSet, size: number): Generator<TokenSet> {
  const length = set.shape[0];
  for (let start = 0; start < set.labels.length; start += size) {
    const end = Math.min(set.labels.length, start + size);
    yield { texts: set.texts.slice(start, end), labels: set.labels.subarray(start, end), classes: set.classes, tokens: set.tokens.subarray(start * length, end * length), shape: set.shape };
  }
}
