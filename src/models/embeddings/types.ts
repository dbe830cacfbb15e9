// The shapes the embeddings reader takes and gives; no code.

/** The layouts of word-vector files tlx reads. `fasttext` (.vec) is word2vec's text layout. */
export type EmbeddingsFormat = 'wink' | 'glove' | 'word2vec' | 'fasttext' | 'word2vec-binary';

/** A word-vector file on this machine. */
export interface EmbeddingsFile {
  readonly file: string;
  /** Inferred from the extension when absent (see formatOf). */
  readonly format?: EmbeddingsFormat;
}

/** A word-vector file at a URL, downloaded once into the cache. */
export interface EmbeddingsUrl {
  readonly url: string;
  /** The file's sha256 as published: a download with another one is refused. */
  readonly sha256?: string;
  /** Inferred from the URL's extension when absent. */
  readonly format?: EmbeddingsFormat;
}

export type EmbeddingsSource = EmbeddingsFile | EmbeddingsUrl;

/** The vectors of a vocabulary's words, one row per word, in the vocabulary's order. */
export interface EmbeddingMatrix {
  readonly dim: number;
  /** vocabulary.length x dim, row-major; row i is vocabulary[i]'s vector, zeros where it was not found. */
  readonly values: Float32Array;
  /** 1 where vocabulary[i] (or its lowercase form) was in the file. */
  readonly found: Uint8Array;
  /** Words the file holds. */
  readonly fileWords: number;
  /** sha256 of the file as stored (compressed, for a .gz). */
  readonly fileSha256: string;
  /** The format the file was read as (a .txt with a `count dim` line is word2vec). */
  readonly format: EmbeddingsFormat;
  /** Names the matrix in the cache: the file's content, format, vocabulary and reader version. */
  readonly cacheKey: string;
  /** Whether it came from the cache rather than from the file. */
  readonly cached: boolean;
}

export interface ReadProgress {
  /** Bytes of the file read so far (compressed bytes for a .gz). */
  readonly bytes: number;
  readonly total: number;
}

/**
 * What a reader hands the words it meets to: it asks whether a word is wanted
 * before parsing its vector, so the vectors of the other words are never parsed.
 */
export interface VectorSink {
  /** Called once, before any vector, with the file's dimension. */
  setDim(dim: number): void;
  wants(word: string): boolean;
  /** `vector` is the reader's scratch space: the sink copies what it keeps. */
  put(word: string, vector: Float32Array): void;
}

/** What a reader learned about the file. */
export interface ReadSummary {
  readonly dim: number;
  readonly fileWords: number;
  readonly format: EmbeddingsFormat;
}

/** A reader of one layout: takes the file's (decompressed) bytes a chunk at a time. */
export interface ChunkReader {
  take(chunk: Buffer): void;
  /** The file ended: throws when it ended too soon. */
  end(): ReadSummary;
}
