import type { ResolvedData, ResolvedExperiment } from './resolved.js';
import type { PathSegment } from './yaml-source.js';

/** The data blocks of an experiment and where they sit in the file. */
export function dataBlocks({ source, target }: ResolvedExperiment): [ResolvedData, PathSegment[]][] {
  return [
    ...(source.pretrain ? [[source.pretrain.data, ['source', 'pretrain', 'data']] as [ResolvedData, PathSegment[]]] : []),
    [target.data, ['target', 'data']],
  ];
}
