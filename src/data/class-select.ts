import type { ResolvedData } from '../config/resolved.js';
import { didYouMean } from '../config/suggest.js';
import { InternalError } from '../errors.js';
import { DATASETS } from './datasets.js';
import type { ImageSet } from './images/image-set.js';

/** A class as a data block names it: its index, or its name (a folder name, a CSV label, a dataset's class name). */
export type ClassRef = number | string;

/** The class ids `refs` name, or the first that names none and why. */
export type ClassSelection =
  | { readonly ok: true; readonly ids: number[] }
  | { readonly ok: false; readonly code: string; readonly index: number; readonly message: string; readonly hint?: string };

/** What a dataset tells of its classes: how many, and their names in label order (when it has names). */
export interface ClassList {
  readonly count: number;
  readonly names?: readonly string[];
  /** What the dataset is, for messages: `mnist`, `the folder`. */
  readonly what: string;
}

function shown(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ... (${names.length} in all)`;
}

/** Whether class names say more than the numbers do (MNIST's are '0'-'9'). */
function named(names: readonly string[] | undefined): names is readonly string[] {
  return names != null && names.some((name, i) => name !== String(i));
}

/**
 * Resolves the classes a data block keeps to label ids: an index is a position in
 * the dataset's classes (sorted folder names for an image folder), a name is looked
 * up among their names. One class given twice (by index and by name) is refused.
 */
export function selectClasses(refs: readonly ClassRef[], list: ClassList): ClassSelection {
  const ids: number[] = [];
  for (const [index, ref] of refs.entries()) {
    let id: number;
    if (typeof ref === 'number') {
      if (ref >= list.count) {
        return { ok: false, code: 'E_CLASS_RANGE', index, message: `class ${ref} is out of range: ${list.what} has classes 0-${list.count - 1}`, ...(named(list.names) ? { hint: `its classes: ${shown(list.names)}` } : {}) };
      }
      id = ref;
    } else {
      if (list.names == null) return { ok: false, code: 'E_CLASS_NAME', index, message: `class '${ref}' is a name, but ${list.what} has no class names`, hint: `give the class by number (0-${list.count - 1})` };
      id = list.names.indexOf(ref);
      if (id < 0) {
        return { ok: false, code: 'E_CLASS_NAME', index, message: `no class '${ref}' in ${list.what}`, hint: didYouMean(ref, list.names) ?? `its classes: ${shown(list.names)}` };
      }
    }
    const before = ids.indexOf(id);
    if (before >= 0) return { ok: false, code: 'E_CLASS_REPEATED', index, message: `class ${JSON.stringify(ref)} is given twice (also as ${JSON.stringify(refs[before])})` };
    ids.push(id);
  }
  return { ok: true, ids };
}

/** The classes of a dataset read: their count, and their names (an image folder's folders, a CSV's labels, a dataset's own). */
export function classList(set: Pick<ImageSet, 'classes' | 'classNames'>, spec: Pick<ResolvedData, 'dataset'>): ClassList {
  const names = set.classNames ?? DATASETS[spec.dataset].classNames;
  const what = spec.dataset === 'csv' ? "the table's labels" : spec.dataset === 'imagefolder' ? 'the folder' : spec.dataset;
  return { count: set.classes, ...(names ? { names } : {}), what };
}

/** The label ids of the classes a data block keeps (all when it names none); loadImages has refused any it cannot resolve. */
export function chosenClassIds(set: Pick<ImageSet, 'classes' | 'classNames'>, spec: Pick<ResolvedData, 'dataset' | 'classes'>): number[] {
  if (spec.classes == null) return Array.from({ length: set.classes }, (_, c) => c);
  const chosen = selectClasses(spec.classes, classList(set, spec));
  if (!chosen.ok) throw new InternalError(`classes ${JSON.stringify(spec.classes)} reached the split unchecked: ${chosen.message}`);
  return chosen.ids;
}
