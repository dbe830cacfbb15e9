import type { ResolvedData, ResolvedTrain } from './resolved.js';
import { knownClasses, type Rule } from './rules.js';
import type { PathSegment } from './yaml-source.js';

/** Each training block with the data it trains on and where it sits in the file. */
function trainBlocks({ source, target, train }: Parameters<Rule>[0]): [ResolvedTrain, ResolvedData, PathSegment[]][] {
  return [
    ...(source.pretrain ? [[source.pretrain.train, source.pretrain.data, ['source', 'pretrain', 'train']] as [ResolvedTrain, ResolvedData, PathSegment[]]] : []),
    [train, target.data, ['train']],
  ];
}

/**
 * A list of class weights gives one per class. Where the classes are known before
 * the images are read (a chosen list, a dataset's own, a folder's), a list of
 * another length is refused here; otherwise training refuses it (classWeightValues).
 */
export const classWeightsRule: Rule = (experiment, { baseDir }) => trainBlocks(experiment).flatMap(([train, data, path]) => {
  const weights = train.classWeights;
  if (!Array.isArray(weights)) return [];
  const count = data.classes?.length ?? knownClasses(data, baseDir)?.count;
  if (count == null || count === weights.length) return [];
  return [{
    code: 'E_CLASS_WEIGHTS',
    path: [...path, 'classWeights'],
    message: `${weights.length} class weight${weights.length === 1 ? '' : 's'} for ${count} classes; expected one per class, in label order`,
    hint: 'give one weight per class, or classWeights: balanced',
  }];
});
