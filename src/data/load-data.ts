import type { ResolvedData } from '../config/resolved.js';
import type { ImageSet } from './image-set.js';
import { loadMnist } from './mnist.js';
import { prepareData, type PreparedData } from './split.js';

const LOADERS = {
  mnist: loadMnist,
} as const satisfies Record<ResolvedData['dataset'], () => ImageSet>;

/** The dataset a data block names, prepared (classes, split, few-shot) for a seed. */
export function loadData(spec: ResolvedData, seed: number): PreparedData {
  return prepareData(LOADERS[spec.dataset](), spec, seed);
}
