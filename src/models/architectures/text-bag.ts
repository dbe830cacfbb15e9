import * as tfl from '@tensorflow/tfjs-layers';
import { maskedMeanPool } from './text-blocks.js';
import { embeddedTokens, setEmbeddings } from './text-embedding.js';
import type { TextArchitectureOptions } from './text-options.js';

/**
 * The bag of embeddings: the mean word vector over the non-padding tokens
 * ('features'), then softmax (dropout before it only when asked for). The output
 * does not depend on the padding.
 */
export function textBag(options: TextArchitectureOptions): tfl.LayersModel {
  const { ids, embedded } = embeddedTokens(options);
  let x = maskedMeanPool(embedded, { name: 'features', ids });
  if (options.dropout != null && options.dropout > 0) {
    x = tfl.layers.dropout({ rate: options.dropout, name: 'dropout' }).apply(x) as tfl.SymbolicTensor;
  }
  const output = tfl.layers.dense({ units: options.classes, activation: 'softmax', name: 'predictions' }).apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: ids, outputs: output, name: 'text_bag' });
  setEmbeddings(model, options);
  return model;
}
