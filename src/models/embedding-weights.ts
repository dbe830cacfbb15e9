import { resolve } from 'node:path';
import type { Embeddings } from '../config/resolved.js';
import type { Vocabulary } from '../data/text/tokenizer.js';
import { packageEmbeddings } from './embeddings/package.js';
import { embeddingMatrix } from './embeddings/matrix.js';
import type { EmbeddingsSource } from './embeddings/types.js';
import { seededRandom } from '../random.js';
import { tokenCoverage } from './embeddings/coverage.js';

/** Where an embeddings block's file is found, and where its restriction to a vocabulary is cached. */
export interface EmbeddingsPlaces {
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cacheDir: string;
}

/** The initial weights of an embedding layer and what they say about the vectors used. */
export interface EmbeddingWeights {
  readonly dim: number;
  /** vocabulary x dim: the file's vector for every word it has, Kim's U[-0.25, 0.25] for the rest, zeros for padding. */
  readonly values: Float32Array;
  readonly stats: EmbeddingsStats;
}

/** Recorded in the source's meta.json and the manifest: which vectors, and how much of the training text they cover. */
export interface EmbeddingsStats {
  readonly sha256: string;
  readonly format: string;
  readonly dim: number;
  readonly fileWords: number;
  /** Words of the vocabulary (padding and unknown included) and how many of them have a vector. */
  readonly vocabulary: number;
  readonly found: number;
  /** Share of the training texts' tokens whose word has a vector (unknown words count as not found). */
  readonly coverage: number;
}

/** What a source.embeddings model's meta.json (and the run's manifest) records, per seed. */
export interface EmbeddingsSourceMeta {
  readonly seed: number;
  readonly embeddings: EmbeddingsStats;
}

/** The file an embeddings block names: a package's, a path relative to the experiment, or a URL's download. */
export function embeddingsSource(spec: Embeddings, places: Pick<EmbeddingsPlaces, 'baseDir' | 'env'>): EmbeddingsSource {
  const format = spec.format ? { format: spec.format } : {};
  if (spec.package != null) return packageEmbeddings(spec.package, places);
  if (spec.file != null) return { file: resolve(places.baseDir, spec.file), ...format };
  return { url: spec.url!, ...(spec.sha256 ? { sha256: spec.sha256 } : {}), ...format };
}

/**
 * An embedding layer's initial weights for a vocabulary: the words the vectors
 * have get theirs; the others (and the unknown word) start uniform in [-0.25, 0.25],
 * as Kim (2014) initialised words missing from word2vec, from `seed`, so the same
 * vocabulary and seed give the same weights; padding (index 0) starts at zero.
 */
export async function embeddingWeights(spec: Embeddings, vocabulary: Vocabulary, seed: number, places: EmbeddingsPlaces): Promise<EmbeddingWeights> {
  const matrix = await embeddingMatrix(embeddingsSource(spec, places), vocabulary.words, { cacheDir: places.cacheDir, maxBytes: spec.maxDownloadMB * 2 ** 20, env: places.env });
  const { dim } = matrix;
  const values = Float32Array.from(matrix.values);
  const random = seededRandom(seed);
  for (let w = 0; w < vocabulary.words.length; w++) {
    if (w === 0 || matrix.found[w] === 1) continue;
    for (let k = 0; k < dim; k++) values[w * dim + k] = random() * 0.5 - 0.25;
  }
  values.fill(0, 0, dim);
  const found = matrix.found.reduce((n: number, f: number) => n + f, 0);
  return {
    dim, values,
    stats: { sha256: matrix.fileSha256, format: matrix.format, dim, fileWords: matrix.fileWords, vocabulary: vocabulary.words.length, found, coverage: tokenCoverage(matrix.found, vocabulary.counts) },
  };
}
