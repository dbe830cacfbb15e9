import { tokenize } from './tokenize.js';
import type { TokenizerSettings } from './tokenizer.js';
import { PAD, UNKNOWN, type Vocabulary } from './vocabulary.js';

/**
 * The token ids of texts, `maxLength` per text, row-major (texts x maxLength):
 * the first maxLength tokens (a longer text is cut at its end), then PAD (0);
 * a token the vocabulary lacks is UNKNOWN (1).
 */
export function encode(texts: readonly string[], vocabulary: Vocabulary, settings: TokenizerSettings): Int32Array {
  const length = settings.maxLength;
  const ids = new Int32Array(texts.length * length).fill(PAD);
  texts.forEach((text, row) => {
    tokenize(text, settings, length).forEach((token, t) => {
      ids[row * length + t] = vocabulary.index.get(token) ?? UNKNOWN;
    });
  });
  return ids;
}

/** How many tokens each encoded text has before its padding (at most maxLength). */
export function encodedLengths(ids: Int32Array, maxLength: number): Int32Array {
  const rows = ids.length / maxLength;
  const lengths = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let n = maxLength;
    while (n > 0 && ids[r * maxLength + n - 1] === PAD) n--;
    lengths[r] = n;
  }
  return lengths;
}
