import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResolvedSource } from '../../config/resolved.js';
import { kerasMnistCnn } from './keras-mnist-cnn.js';
import { lenet5 } from './lenet5.js';
import { mobilenetV1 } from './mobilenet-v1.js';
import { mobilenetV2 } from './mobilenet-v2.js';
import type { ArchitectureOptions } from './options.js';
import { resnetMini } from './resnet-mini.js';

export type ArchitectureName = NonNullable<ResolvedSource['pretrain']>['architecture'];
export type { ArchitectureOptions };

/** Built-in architectures a `source.pretrain` block can name. */
export const ARCHITECTURES = {
  'keras-mnist-cnn': ({ inputShape, classes }: ArchitectureOptions) => kerasMnistCnn({ inputShape, classes }),
  lenet5,
  'resnet-mini': resnetMini,
  'mobilenet-v1': ({ inputShape, classes, alpha }: ArchitectureOptions) =>
    mobilenetV1({ alpha: alpha ?? 0.25, size: inputShape[0], channels: inputShape[2], classes }),
  'mobilenet-v2': ({ inputShape, classes, alpha }: ArchitectureOptions) =>
    mobilenetV2({ alpha: alpha ?? 1, size: [inputShape[0], inputShape[1]], channels: inputShape[2], classes }),
} as const satisfies Record<ArchitectureName, (options: ArchitectureOptions) => tfl.LayersModel>;
