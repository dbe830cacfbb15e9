import type { ResolvedData } from '../config/resolved.js';
import { deriveSeed, seededRandom, shuffleInPlace } from '../random.js';
import { chosenClassIds } from './class-select.js';
import { DATASETS } from './datasets.js';
import { type Examples, pickExamples, type ReadExamples } from './examples.js';
import type { ImageSet } from './images/image-set.js';
import type { TokenSet } from './text/token-set.js';

/** The train / validation / test parts of a prepared dataset, labels 0..k-1: pixels, files not yet decoded, texts or tokens. */
export interface PreparedData<T extends ReadExamples | Examples = ImageSet | TokenSet> {
  readonly train: T;
  readonly validation: T;
  readonly test: T;
  /** Original class ids, in the order of the new labels. */
  readonly classIds: readonly number[];
  /** Names of the new labels, in order. */
  readonly classNames: readonly string[];
}

/**
 * Selects (by index or name) and relabels classes, then splits each class separately (stratified):
 * `test` and `validation` (fractions or counts per class) held out first, the rest for
 * training, of which `perClass` examples are kept when given. A dataset's own
 * splits (image folders with train/ val/ test/) are kept as they are. Seeded and independent of anything but
 * the data spec and the seed, so transfer and scratch runs of a seed see the same
 * split on every machine.
 */
export function prepareData<T extends ReadExamples>(set: T, spec: ResolvedData, seed: number): PreparedData<T> {
  const classIds = chosenClassIds(set, spec);
  const random = seededRandom(deriveSeed(seed, `split:${spec.dataset}`));
  const parts: Record<'train' | 'validation' | 'test', number[]> = { train: [], validation: [], test: [] };
  const newLabel = new Map<number, number>();
  const given = set.splits;
  const inSplit = (name: 'train' | 'validation' | 'test') => (given?.[name] ? new Set(given[name]) : undefined);
  const [givenTrain, givenValidation, givenTest] = [inSplit('train'), inSplit('validation'), inSplit('test')];
  // Below 1 a fraction of `base`, otherwise a count (at most `base`).
  const held = (amount: number, base: number) => (amount >= 1 ? Math.min(Math.floor(amount), base) : Math.round(base * amount));
  classIds.forEach((id, i) => {
    newLabel.set(id, i);
    const members: number[] = [];
    set.labels.forEach((label, index) => {
      if (label === id) members.push(index);
    });
    shuffleInPlace(members, random);
    // Splits the dataset comes with are kept; missing ones are carved from its
    // training part (fractions of that part when the test split is given).
    const n = members.length;
    const pool = givenTrain ? members.filter((m) => givenTrain.has(m)) : [...members];
    const test = givenTest ? members.filter((m) => givenTest.has(m)) : pool.splice(0, held(spec.test, n));
    const validation = givenValidation
      ? members.filter((m) => givenValidation.has(m))
      : pool.splice(0, held(spec.validation, givenTest ? pool.length : n));
    parts.test.push(...test);
    parts.validation.push(...validation);
    parts.train.push(...(spec.perClass == null ? pool : pool.slice(0, spec.perClass)));
  });
  const take = (indices: number[]): T => {
    shuffleInPlace(indices, random);
    return pickExamples(set, indices, (label) => newLabel.get(label)!, classIds.length);
  };
  const names = set.classNames ?? DATASETS[spec.dataset].classNames;
  const classNames = classIds.map((id) => names?.[id] ?? String(id));
  return { train: take(parts.train), validation: take(parts.validation), test: take(parts.test), classIds, classNames };
}
