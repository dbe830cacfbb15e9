// Pretrained word vectors as a transfer source for text: the public face of this folder.
export { tokenCoverage } from './coverage.js';
export { embeddingMatrix, type EmbeddingMatrixOptions } from './embedding-matrix.js';
export { cachedEmbeddingsFile, fetchEmbeddings, type FetchEmbeddingsOptions } from './fetch-embeddings.js';
export { formatOf } from './format.js';
export { EMBEDDINGS_CACHE_VERSION } from './matrix-cache.js';
export { EMBEDDINGS_PACKAGES, packageEmbeddings } from './package-embeddings.js';
export type { EmbeddingMatrix, EmbeddingsFile, EmbeddingsFormat, EmbeddingsSource, EmbeddingsUrl, ReadProgress } from './types.js';
