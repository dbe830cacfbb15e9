import * as tfl from '@tensorflow/tfjs-layers';
import { textCnnBlock } from './text-blocks.js';
import { embeddedTokens, setEmbeddings } from './text-embedding.js';
import type { TextArchitectureOptions } from './text-options.js';

/**
 * Kim (2014)'s sentence CNN: embedding, ReLU convolutions of widths 3, 4, 5 with 100
 * maps each, max over time, concatenated ('features'), dropout 0.5, softmax.
 * Padding is zeroed before the convolutions and windows starting in it are left out
 * of the max, so a sentence followed by at least (widest window - 1) padding tokens
 * gets the same output whatever the amount of padding.
 */
export function textCnn(options: TextArchitectureOptions): tfl.LayersModel {
  const { ids, embedded } = embeddedTokens(options);
  const features = textCnnBlock(embedded, {
    name: 'features', prefix: 'cnn', ids,
    ...(options.widths ? { widths: options.widths } : {}), filters: options.filters ?? 100,
  });
  const dropped = tfl.layers.dropout({ rate: options.dropout ?? 0.5, name: 'dropout' }).apply(features) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: options.classes, activation: 'softmax', name: 'predictions' }).apply(dropped) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: ids, outputs: output, name: 'text_cnn' });
  setEmbeddings(model, options);
  return model;
}
