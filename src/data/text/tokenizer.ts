// The tokenizer as the rest of tlx uses it: its settings here, the split into
// tokens (tokenize.ts), the vocabulary of the training texts (vocabulary.ts) and
// the token ids (encode.ts), re-exported.

/** How texts become token ids (the experiment's `source.input.text`). */
export interface TokenizerSettings {
  /** Lowercase before splitting (GloVe's vocabulary is lowercase). */
  readonly lowercase: boolean;
  /** The most entries in the vocabulary, padding and unknown included. */
  readonly maxTokens: number;
  /** Words seen fewer times in the training texts are unknown words. */
  readonly minCount: number;
  /** Tokens per text: longer texts are cut after this many, shorter ones padded. */
  readonly maxLength: number;
}

/** The schema's defaults, for callers (and tests) that have no experiment. */
export const DEFAULT_TOKENIZER: TokenizerSettings = { lowercase: true, maxTokens: 20_000, minCount: 1, maxLength: 64 };

export { tokenize } from './tokenize.js';
export { buildVocabulary, compareCodePoints, PAD, PAD_WORD, UNKNOWN, UNKNOWN_WORD, type Vocabulary } from './vocabulary.js';
export { encode, encodedLengths } from './encode.js';
