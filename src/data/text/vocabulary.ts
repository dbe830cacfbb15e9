import { tokenize } from './tokenize.js';
import type { TokenizerSettings } from './tokenizer.js';

/** The id of padding (after a text's tokens) and of a word the vocabulary lacks. */
export const PAD = 0;
export const UNKNOWN = 1;

/** Their entries in `words`; the tokenizer never yields either ('<' and '>' are tokens of their own). */
export const PAD_WORD = '<pad>';
export const UNKNOWN_WORD = '<unk>';

/** The words a model knows, by id. */
export interface Vocabulary {
  /** By id: '<pad>', '<unk>', then the words, most frequent first. */
  readonly words: readonly string[];
  /** Times each id's word was seen in the training texts; at UNKNOWN, the tokens of the training texts left out of the vocabulary, at PAD 0. */
  readonly counts: Int32Array;
  readonly index: ReadonlyMap<string, number>;
}

/** Orders strings by Unicode code points (not UTF-16 units, as < and sort do: they put U+10000 before U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const [x, y] = [a.codePointAt(i)!, b.codePointAt(j)!];
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/**
 * The vocabulary of the training texts (never the validation or test texts, so
 * that an evaluation word unseen in training is unknown): words seen at least
 * `minCount` times, the `maxTokens - 2` most frequent, ties in code point order,
 * so the same texts give the same ids in any order and on any machine.
 */
export function buildVocabulary(texts: readonly string[], settings: TokenizerSettings): Vocabulary {
  const counts = new Map<string, number>();
  let total = 0;
  for (const text of texts) {
    for (const token of tokenize(text, settings)) {
      counts.set(token, (counts.get(token) ?? 0) + 1);
      total++;
    }
  }
  const ranked = [...counts].filter(([, n]) => n >= settings.minCount)
    .sort(([a, m], [b, n]) => n - m || compareCodePoints(a, b))
    .slice(0, Math.max(0, settings.maxTokens - 2));
  const kept = ranked.reduce((sum, [, n]) => sum + n, 0);
  const words = [PAD_WORD, UNKNOWN_WORD, ...ranked.map(([w]) => w)];
  return {
    words,
    counts: Int32Array.from([0, total - kept, ...ranked.map(([, n]) => n)]),
    index: new Map(words.map((w, i) => [w, i])),
  };
}
