import type * as tfl from '@tensorflow/tfjs-layers';
import { textBag } from './text-bag.js';
import { textBiGru } from './text-bigru.js';
import { textCnn } from './text-cnn.js';
import type { TextArchitectureOptions } from './text-options.js';

export type { TextArchitectureOptions };
export { biGruBlock, maskedMeanPool, textCnnBlock } from './text-blocks.js';
export { EMBEDDING_LAYER } from './text-embedding.js';
export { MaskedMaxOverTime, MaskedMeanPool, TokenMask } from './text-layers.js';

export type TextArchitectureName = 'text-cnn' | 'text-bigru' | 'text-bag';

/** Built-in text architectures (token-id inputs), for the lead to wire into `source.pretrain`. */
export const TEXT_ARCHITECTURES = {
  'text-cnn': textCnn,
  'text-bigru': textBiGru,
  'text-bag': textBag,
} as const satisfies Record<TextArchitectureName, (options: TextArchitectureOptions) => tfl.LayersModel>;
