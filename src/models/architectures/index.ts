import type * as tfl from '@tensorflow/tfjs-layers';
import type { ResolvedSource } from '../../config/resolved.js';
import { kerasMnistCnn } from './keras-mnist-cnn.js';

export type ArchitectureName = NonNullable<ResolvedSource['pretrain']>['architecture'];

export interface ArchitectureOptions {
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
}

/** Built-in architectures a `source.pretrain` block can name. */
export const ARCHITECTURES = {
  'keras-mnist-cnn': ({ inputShape, classes }: ArchitectureOptions) => kerasMnistCnn({ inputShape, classes }),
} as const satisfies Record<ArchitectureName, (options: ArchitectureOptions) => tfl.LayersModel>;
