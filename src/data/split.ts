import type { ResolvedData } from '../config/resolved.js';
import { deriveSeed, seededRandom, shuffleInPlace } from '../random.js';
import { type ImageSet, imageSize } from './image-set.js';

/** The train / validation / test parts of a prepared dataset, labels 0..k-1. */
export interface PreparedData {
  readonly train: ImageSet;
  readonly validation: ImageSet;
  readonly test: ImageSet;
  /** Original class ids, in the order of the new labels. */
  readonly classIds: readonly number[];
}

/**
 * Selects and relabels classes, then splits each class separately (stratified):
 * `test` and `validation` fractions held out first, the rest for training, of which
 * `perClass` examples are kept when given. Seeded and independent of anything but
 * the data spec and the seed, so transfer and scratch runs of a seed see the same
 * split on every machine.
 */
export function prepareData(set: ImageSet, spec: ResolvedData, seed: number): PreparedData {
  const classIds = spec.classes ?? Array.from({ length: set.classes }, (_, c) => c);
  const random = seededRandom(deriveSeed(seed, `split:${spec.dataset}`));
  const parts: Record<'train' | 'validation' | 'test', number[]> = { train: [], validation: [], test: [] };
  const newLabel = new Map<number, number>();
  classIds.forEach((id, i) => {
    newLabel.set(id, i);
    const members: number[] = [];
    set.labels.forEach((label, index) => {
      if (label === id) members.push(index);
    });
    shuffleInPlace(members, random);
    const nTest = Math.round(members.length * spec.test);
    const nValidation = Math.round(members.length * spec.validation);
    parts.test.push(...members.slice(0, nTest));
    parts.validation.push(...members.slice(nTest, nTest + nValidation));
    const rest = members.slice(nTest + nValidation);
    parts.train.push(...(spec.perClass == null ? rest : rest.slice(0, spec.perClass)));
  });
  const take = (indices: number[]): ImageSet => {
    shuffleInPlace(indices, random);
    const size = imageSize(set);
    const pixels = new Uint8Array(indices.length * size);
    const labels = new Int32Array(indices.length);
    indices.forEach((from, to) => {
      pixels.set(set.pixels.subarray(from * size, (from + 1) * size), to * size);
      labels[to] = newLabel.get(set.labels[from]!)!;
    });
    return { pixels, labels, shape: set.shape, classes: classIds.length };
  };
  return { train: take(parts.train), validation: take(parts.validation), test: take(parts.test), classIds };
}
