import * as tfl from '@tensorflow/tfjs-layers';
import { biGruBlock } from './text-blocks.js';
import { embeddedTokens, setEmbeddings } from './text-embedding.js';
import type { TextArchitectureOptions } from './text-options.js';

/**
 * Embedding, a bidirectional GRU that skips the padding (its two final states,
 * 'features'), dropout, softmax. The output does not depend on the padding.
 */
export function textBiGru(options: TextArchitectureOptions): tfl.LayersModel {
  const { ids, embedded } = embeddedTokens(options);
  const features = biGruBlock(embedded, { name: 'features', units: options.units ?? 64, ids });
  const dropped = tfl.layers.dropout({ rate: options.dropout ?? 0.5, name: 'dropout' }).apply(features) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: options.classes, activation: 'softmax', name: 'predictions' }).apply(dropped) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: ids, outputs: output, name: 'text_bigru' });
  setEmbeddings(model, options);
  return model;
}
