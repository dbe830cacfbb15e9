import { resolve } from 'node:path';
import type { Embeddings } from '../config/resolved.js';
import type { Vocabulary } from '../data/text/tokenizer.js';
import type { ResolvedExperiment } from '../config/resolved.js';
import { seededRandom } from '../random.js';
import { fileSha256, knownHash, stampFile } from './embeddings/file-hash.js';
import { cachedEmbeddingsFile, embeddingMatrix, type EmbeddingsSource, fetchEmbeddings, packageEmbeddings, tokenCoverage } from './embeddings/index.js';

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
  const matrix = await embeddingMatrix(embeddingsSource(spec, places), vocabulary.words, { cacheDir: places.cacheDir, maxDownloadBytes: spec.maxDownloadMB * 2 ** 20, env: places.env });
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

/** Every embeddings block of these experiments (source.embeddings, source.pretrain.embeddings). */
function embeddingsBlocks(experiments: readonly ResolvedExperiment[]): Embeddings[] {
  return experiments.flatMap((e) => [e.source.embeddings, e.source.pretrain?.embeddings].filter((b): b is Embeddings => b != null));
}

/**
 * The content hash of each embeddings block's file, for task keys: a URL is
 * downloaded first (once, into the cache), a file hashed once per version of it
 * (file-hash.ts). Blocks whose file cannot be had are left out (presence rules and
 * the read itself say why).
 */
export async function embeddingsHashes(experiments: readonly ResolvedExperiment[], places: EmbeddingsPlaces): Promise<(spec: Embeddings) => string | undefined> {
  const hashes = new Map<string, string>();
  const key = (spec: Embeddings) => JSON.stringify([spec.package, spec.file && resolve(places.baseDir, spec.file), spec.url]);
  for (const spec of embeddingsBlocks(experiments)) {
    if (hashes.has(key(spec))) continue;
    const source = embeddingsSource(spec, places);
    const file = 'file' in source ? source.file
      : await fetchEmbeddings(source, { cacheDir: places.cacheDir, env: places.env, maxDownloadBytes: spec.maxDownloadMB * 2 ** 20 });
    hashes.set(key(spec), await fileSha256(places.cacheDir, file));
  }
  return (spec) => hashes.get(key(spec));
}

/** The hashes known without reading or downloading anything (tlx plan): files hashed before, URLs downloaded and hashed before. */
export function knownEmbeddingsHashes(places: EmbeddingsPlaces): (spec: Embeddings) => string | undefined {
  return (spec) => {
    try {
      const source = embeddingsSource(spec, places);
      const file = 'file' in source ? source.file : cachedEmbeddingsFile(source.url, places.cacheDir);
      return knownHash(places.cacheDir, stampFile(file));
    } catch {
      return undefined;
    }
  };
}
