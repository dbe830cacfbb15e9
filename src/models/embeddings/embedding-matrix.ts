import { existsSync, statSync } from 'node:fs';
import { DataError } from '../../errors.js';
import { fetchEmbeddings } from './fetch-embeddings.js';
import { knownHash, rememberHash, stampFile } from './file-hash.js';
import { formatOf } from './format.js';
import { matrixKey, readCachedMatrix, writeCachedMatrix } from './matrix-cache.js';
import { readEmbeddings } from './read-embeddings.js';
import type { EmbeddingMatrix, EmbeddingsSource, ReadProgress } from './types.js';
import { VocabularyLookup } from './vocabulary-lookup.js';

export interface EmbeddingMatrixOptions {
  /** The cache folder (.tlx-cache): matrices go to `<cacheDir>/embeddings/<key>.bin`. */
  readonly cacheDir: string;
  readonly onProgress?: (p: ReadProgress) => void;
  /** Leading rows never looked up: tlx's vocabularies start with '<pad>' and '<unk>' (default 2). */
  readonly reserved?: number;
  /** For a URL source: TLX_DOWNLOAD_TIMEOUT_S. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** For a URL source: the largest download accepted (default 8 GiB). */
  readonly maxDownloadBytes?: number;
}

/**
 * The pretrained vectors of a vocabulary's words (row i for vocabulary[i]), from a
 * word-vector file read once, streamed, or from the cache when this file's content
 * was read for this vocabulary before. See VocabularyLookup for how words are
 * matched (exact first, then lowercase; first occurrence wins; rows 0 and 1 reserved).
 */
export async function embeddingMatrix(source: EmbeddingsSource, vocabulary: readonly string[], options: EmbeddingMatrixOptions): Promise<EmbeddingMatrix> {
  const { cacheDir, reserved = 2 } = options;
  const file = 'file' in source ? source.file : await fetchEmbeddings(source, options);
  const format = source.format ?? formatOf('file' in source ? source.file : new URL(source.url).pathname);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new DataError('E_EMBEDDINGS_MISSING', file, existsSync(file) ? 'is not a file' : 'no such file', 'give the path of a word-vector file (GloVe .txt, word2vec .bin or .txt, fastText .vec, wink-embeddings .json)');
  }
  const before = stampFile(file);
  const known = knownHash(cacheDir, before);
  if (known) {
    const cached = readCachedMatrix(cacheDir, matrixKey({ fileSha256: known, format, vocabulary, reserved }), vocabulary.length);
    if (cached) return cached;
  }
  const lookup = new VocabularyLookup(vocabulary, reserved);
  const summary = await readEmbeddings(file, format, lookup, options.onProgress);
  const after = stampFile(file);
  // A file changed while it was read is hashed again next time.
  if (JSON.stringify(after) === JSON.stringify(before)) rememberHash(cacheDir, after, summary.sha256);
  const { values, found } = lookup.finish();
  const matrix: EmbeddingMatrix = {
    dim: summary.dim, values, found, fileWords: summary.fileWords, fileSha256: summary.sha256, format: summary.format,
    cacheKey: matrixKey({ fileSha256: summary.sha256, format, vocabulary, reserved }), cached: false,
  };
  writeCachedMatrix(cacheDir, matrix);
  return matrix;
}
