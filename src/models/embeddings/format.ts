import { UsageError } from '../../errors.js';
import type { EmbeddingsFormat } from './types.js';

const BY_EXTENSION: Readonly<Record<string, EmbeddingsFormat>> = {
  '.json': 'wink',
  '.txt': 'glove',
  '.vec': 'fasttext',
  '.bin': 'word2vec-binary',
};

/**
 * The format a word-vector file's name says (a trailing .gz aside): .json wink,
 * .txt glove (read as word2vec when its first line is `count dim`), .vec fastText,
 * .bin word2vec binary. A name that says none is a UsageError asking for the format.
 */
export function formatOf(name: string): EmbeddingsFormat {
  const base = name.toLowerCase().replace(/[?#].*$/, '').replace(/\.gz$/, '');
  const extension = /\.[a-z0-9]+$/.exec(base)?.[0] ?? '';
  const format = BY_EXTENSION[extension];
  if (format) return format;
  throw new UsageError('E_EMBEDDINGS_FORMAT', `cannot tell the format of the word vectors in ${name} from its extension`,
    `name the format (wink, glove, word2vec, fasttext or word2vec-binary), or use an extension tlx knows: ${Object.keys(BY_EXTENSION).join(', ')} (optionally .gz)`);
}

/** Whether a format is one of the line-per-word text layouts. */
export function isTextFormat(format: EmbeddingsFormat): format is 'glove' | 'word2vec' | 'fasttext' {
  return format === 'glove' || format === 'word2vec' || format === 'fasttext';
}
