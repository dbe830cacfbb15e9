// The tokenizer as the rest of tlx uses it: its settings here, the split into
// tokens (tokenize.ts), the vocabulary of the training texts (vocabulary.ts) and
// the token ids (encode.ts), re-exported.

import type { TextSettings } from '../../config/resolved.js';

/** How texts become token ids: the experiment's `source.input.text`, every setting present. */
export type TokenizerSettings = TextSettings;

export { tokenize } from './tokenize.js';
export { buildVocabulary, compareCodePoints, PAD, PAD_WORD, UNKNOWN, UNKNOWN_WORD, type Vocabulary } from './vocabulary.js';
export { encode, encodedLengths } from './encode.js';
