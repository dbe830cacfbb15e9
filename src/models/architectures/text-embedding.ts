import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UsageError } from '../../errors.js';
import type { TextArchitectureOptions } from './text-options.js';

/** The name of the embedding layer in every text architecture (tlx freezes it by name). */
export const EMBEDDING_LAYER = 'embedding';

/** The token-id input and its embedding, the shared stem of the text architectures. */
export function embeddedTokens(options: TextArchitectureOptions): { ids: tfl.SymbolicTensor; embedded: tfl.SymbolicTensor } {
  const { vocabulary, maxLength, dim } = options;
  const ids = tfl.input({ shape: [maxLength], dtype: 'int32', name: 'tokens' });
  const embedded = tfl.layers.embedding({
    inputDim: vocabulary,
    outputDim: dim,
    inputLength: maxLength,
    // Kim (2014) draws the vectors of words without a pretrained one from U[-0.25, 0.25],
    // which gives them about the variance of word2vec's; the "rand" variant draws all so.
    embeddingsInitializer: tfl.initializers.randomUniform({ minval: -0.25, maxval: 0.25 }),
    name: EMBEDDING_LAYER,
  }).apply(ids) as tfl.SymbolicTensor;
  return { ids, embedded };
}

/** Loads pretrained vectors into a built model's embedding layer. */
export function setEmbeddings(model: tfl.LayersModel, options: TextArchitectureOptions): void {
  const { embeddings, vocabulary, dim } = options;
  if (embeddings == null) return;
  if (embeddings.length !== vocabulary * dim) {
    throw new UsageError('E_EMBEDDINGS_SHAPE',
      `the initial embeddings hold ${embeddings.length} numbers; a ${vocabulary} x ${dim} table holds ${vocabulary * dim}`,
      'give one vector of `dim` numbers per vocabulary entry, padding (0) and unknown (1) included');
  }
  const table = tf.tensor2d(embeddings, [vocabulary, dim]);
  try {
    model.getLayer(EMBEDDING_LAYER).setWeights([table]);
  } finally {
    table.dispose();
  }
}
