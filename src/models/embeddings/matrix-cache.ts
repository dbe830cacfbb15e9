import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../results/atomic-write.js';
import type { EmbeddingMatrix, EmbeddingsFormat } from './types.js';

/** Changes when the reader would build a different matrix from the same file and vocabulary. */
export const EMBEDDINGS_CACHE_VERSION = 1;

export interface MatrixKeyInput {
  readonly fileSha256: string;
  readonly format: EmbeddingsFormat;
  readonly vocabulary: readonly string[];
  readonly reserved: number;
}

/** The cache key of a matrix: the file's content, its format, the vocabulary in order, the reader's version. */
export function matrixKey(input: MatrixKeyInput): string {
  const text = JSON.stringify([EMBEDDINGS_CACHE_VERSION, input.fileSha256, input.format, input.reserved, input.vocabulary]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

const paths = (cacheDir: string, key: string) => {
  const base = join(cacheDir, 'embeddings', key);
  return { bin: `${base}.bin`, meta: `${base}.json` };
};

interface Meta {
  readonly version: number;
  readonly key: string;
  readonly rows: number;
  readonly dim: number;
  readonly fileWords: number;
  readonly fileSha256: string;
  readonly format: EmbeddingsFormat;
  readonly found: number;
}

/**
 * A matrix cached before under `key`, or undefined when there is none or it does
 * not hold `rows` rows (a damaged or foreign file is ignored and rewritten).
 */
export function readCachedMatrix(cacheDir: string, key: string, rows: number): EmbeddingMatrix | undefined {
  const { bin, meta } = paths(cacheDir, key);
  if (!existsSync(meta) || !existsSync(bin)) return undefined;
  let info: Meta;
  try {
    info = JSON.parse(readFileSync(meta, 'utf8')) as Meta;
  } catch {
    return undefined;
  }
  if (info.version !== EMBEDDINGS_CACHE_VERSION || info.key !== key || info.rows !== rows || !(info.dim > 0)) return undefined;
  const bytes = readFileSync(bin);
  const valueBytes = rows * info.dim * 4;
  if (bytes.length !== valueBytes + rows) return undefined;
  const values = new Float32Array(rows * info.dim);
  new Uint8Array(values.buffer).set(bytes.subarray(0, valueBytes));
  const found = new Uint8Array(bytes.subarray(valueBytes));
  return { dim: info.dim, values, found, fileWords: info.fileWords, fileSha256: info.fileSha256, format: info.format, cacheKey: key, cached: true };
}

/** Stores a matrix under its key: the values (float32, this machine's byte order) then `found`, and a small JSON beside. */
export function writeCachedMatrix(cacheDir: string, matrix: EmbeddingMatrix): void {
  const { bin, meta } = paths(cacheDir, matrix.cacheKey);
  const rows = matrix.found.length;
  const bytes = new Uint8Array(matrix.values.byteLength + rows);
  bytes.set(new Uint8Array(matrix.values.buffer, matrix.values.byteOffset, matrix.values.byteLength));
  bytes.set(matrix.found, matrix.values.byteLength);
  writeFileAtomic(bin, bytes);
  const info: Meta = {
    version: EMBEDDINGS_CACHE_VERSION, key: matrix.cacheKey, rows, dim: matrix.dim, fileWords: matrix.fileWords,
    fileSha256: matrix.fileSha256, format: matrix.format, found: matrix.found.reduce((n, f) => n + f, 0),
  };
  // The meta is written last: a matrix is in the cache once both are there.
  writeFileAtomic(meta, `${JSON.stringify(info, null, 2)}\n`);
}
