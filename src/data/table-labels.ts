import { DataError } from '../errors.js';
import { MAX_CLASSES } from './images/image-set.js';

/** Labels as integers, and the classes they range over (named when the table named them). */
export interface TableLabels {
  readonly labels: Int32Array;
  readonly classes: number;
  /** Absent when the table numbered its classes. */
  readonly classNames?: readonly string[];
}

const LABELS_HINT = 'number the classes 0..k-1 without gaps, or use class names (any text) as labels';

/**
 * The class count of integer labels: one past the largest, which must stay under
 * MAX_CLASSES and leave no class without rows (a typo such as 99999999 would
 * otherwise make a model of a hundred million outputs, most never seen).
 */
function integerClasses(labels: readonly number[], lines: readonly number[], file: string): number {
  let top = 0;
  labels.forEach((v, i) => {
    if (v > labels[top]!) top = i;
  });
  const classes = (labels[top] ?? -1) + 1;
  if (classes > MAX_CLASSES) {
    throw new DataError('E_DATA_LABEL', file,
      `line ${lines[top]}: label ${labels[top]} is past the limit: integer labels number the classes from 0 to at most ${MAX_CLASSES - 1}`, LABELS_HINT);
  }
  const used = new Set(labels);
  const missing = Array.from({ length: classes }, (_, c) => c).filter((c) => !used.has(c));
  if (missing.length > 0) {
    const shown = missing.length > 5 ? `${missing.slice(0, 5).join(', ')}, ... (${missing.length} in all)` : missing.join(', ');
    throw new DataError('E_DATA_EMPTY', file,
      `integer labels number the classes from 0 to ${classes - 1}, but ${missing.length === 1 ? 'class' : 'classes'} ${shown} ${missing.length === 1 ? 'has' : 'have'} no rows`, LABELS_HINT);
  }
  return classes;
}

/**
 * Labels of a table (image or text), trimmed, one per row with the line it is on.
 * All non-negative integers: used as class numbers as they are. Otherwise each
 * distinct value is a class name, and the classes are the names in sorted order
 * (UTF-16 order, as Array.prototype.sort gives, so any machine agrees).
 */
export function tableLabels(raw: readonly string[], lines: readonly number[], file: string): TableLabels {
  if (raw.every((v) => /^\d+$/.test(v))) {
    const labels = raw.map(Number);
    const classes = integerClasses(labels, lines, file);
    return { labels: Int32Array.from(labels), classes };
  }
  const names = [...new Set(raw)].sort();
  if (names.length > MAX_CLASSES) {
    throw new DataError('E_DATA_LABEL', file, `${names.length.toLocaleString('en-US')} distinct labels, more than the ${MAX_CLASSES.toLocaleString('en-US')} classes tlx allows`,
      'is the label column the right one? It should name a class, not hold a value per row');
  }
  const index = new Map(names.map((n, i) => [n, i]));
  return { labels: Int32Array.from(raw, (v) => index.get(v)!), classes: names.length, classNames: names };
}
