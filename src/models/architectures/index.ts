import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResolvedSource } from '../../config/resolved.js';
import { InternalError } from '../../errors.js';
import { kerasMnistCnn } from './keras-mnist-cnn.js';
import { lenet5 } from './lenet5.js';
import { mobilenetV1 } from './mobilenet-v1.js';
import { mobilenetV2 } from './mobilenet-v2.js';
import type { ArchitectureOptions, EmbeddingTable, ImageArchitectureOptions } from './options.js';
import { resnetMini } from './resnet-mini.js';
import { TEXT_ARCHITECTURES, type TextArchitectureOptions } from './text-index.js';

export type ArchitectureName = NonNullable<ResolvedSource['pretrain']>['architecture'];
export type { ArchitectureOptions, EmbeddingTable, TextArchitectureOptions };
export { biGruBlock, maskedMeanPool, textCnnBlock, EMBEDDING_LAYER } from './text-index.js';
export { embeddedTokens, setEmbeddings } from './text-embedding.js';

/** The options of an image architecture: the input is [height, width, channels]. */
function image(o: ArchitectureOptions): ImageArchitectureOptions {
  const [h, w, c] = o.inputShape;
  if (o.inputShape.length !== 3 || h == null || w == null || c == null) throw new InternalError(`an image architecture built for input [${o.inputShape.join(', ')}]`);
  return { inputShape: [h, w, c], classes: o.classes, ...(o.alpha != null ? { alpha: o.alpha } : {}) };
}

/** The options of a text architecture: the input is [maxLength] token ids, the embedding table given. */
function text(o: ArchitectureOptions): TextArchitectureOptions {
  const [maxLength] = o.inputShape;
  if (o.inputShape.length !== 1 || maxLength == null || o.text == null) throw new InternalError(`a text architecture built for input [${o.inputShape.join(', ')}]${o.text ? '' : ' without an embedding table'}`);
  return { maxLength, classes: o.classes, ...o.text };
}

/** Built-in architectures a `source.pretrain` block can name. */
export const ARCHITECTURES = {
  'keras-mnist-cnn': (o: ArchitectureOptions) => kerasMnistCnn(image(o)),
  lenet5: (o: ArchitectureOptions) => lenet5(image(o)),
  'resnet-mini': (o: ArchitectureOptions) => resnetMini(image(o)),
  'mobilenet-v1': (o: ArchitectureOptions) => {
    const { inputShape, classes, alpha } = image(o);
    return mobilenetV1({ alpha: alpha ?? 0.25, size: inputShape[0], channels: inputShape[2], classes });
  },
  'mobilenet-v2': (o: ArchitectureOptions) => {
    const { inputShape, classes, alpha } = image(o);
    return mobilenetV2({ alpha: alpha ?? 1, size: [inputShape[0], inputShape[1]], channels: inputShape[2], classes });
  },
  'text-cnn': (o: ArchitectureOptions) => TEXT_ARCHITECTURES['text-cnn'](text(o)),
  'text-bigru': (o: ArchitectureOptions) => TEXT_ARCHITECTURES['text-bigru'](text(o)),
  'text-bag': (o: ArchitectureOptions) => TEXT_ARCHITECTURES['text-bag'](text(o)),
} as const satisfies Record<ArchitectureName, (options: ArchitectureOptions) => tfl.LayersModel>;

/** Whether an architecture reads texts (token ids) rather than images. */
export function readsText(name: ArchitectureName): boolean {
  return name.startsWith('text-');
}

/** The sizes a text architecture is built with only to be shown or named: a small table, since names do not depend on sizes. */
export interface SampleText {
  readonly maxLength: number;
  readonly vocabulary: number;
  readonly dim: number;
}

const SMALL_TEXT: SampleText = { maxLength: 16, vocabulary: 64, dim: 8 };

/** Options to build an architecture with only to show or name its layers (tlx inspect, config checks). */
export function sampleOptions(name: ArchitectureName, inputShape: readonly [number, number, number], classes: number, text: SampleText = SMALL_TEXT): ArchitectureOptions {
  return readsText(name) ? { inputShape: [text.maxLength], classes, text: { vocabulary: text.vocabulary, dim: text.dim } } : { inputShape, classes };
}
