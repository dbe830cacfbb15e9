import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataError } from '../errors.js';
import { osReason } from '../os-error.js';
import { checkFiles, type FileFormat } from './decode-images.js';
import { filesSet } from './images.js';
import { type ImageFiles, MAX_CLASSES } from './image-set.js';

/** A row of a CSV table and the line it starts on (1-based). */
export interface CsvRow {
  readonly fields: string[];
  readonly line: number;
}

/** Rows of a CSV text: commas, double-quoted fields with "" escapes, \n or \r\n; blank lines skipped. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let [line, start] = [1, 1];
  const end = () => {
    row.push(field);
    if (row.some((f) => f !== '')) rows.push({ fields: row, line: start });
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    // A line ends at \n or a lone \r (\r\n ends at its \n).
    const newline = ch === '\n' || (ch === '\r' && text[i + 1] !== '\n');
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (newline) {
      end();
      start = line + 1;
    } else if (ch !== '\r') field += ch;
    if (newline) line++;
  }
  end();
  return rows;
}

const LABELS_HINT = 'number the classes 0..k-1 without gaps, or use class names (any text) as labels';

/**
 * The class count of integer labels: one past the largest, which must stay under
 * MAX_CLASSES and leave no class without rows (a typo such as 99999999 would
 * otherwise make a model of a hundred million outputs, most never seen).
 */
function integerClasses(labels: readonly number[], rows: readonly CsvRow[], file: string): number {
  let top = 0;
  labels.forEach((v, i) => {
    if (v > labels[top]!) top = i;
  });
  const classes = (labels[top] ?? -1) + 1;
  if (classes > MAX_CLASSES) {
    throw new DataError('E_DATA_LABEL', file,
      `line ${rows[top]!.line}: label ${labels[top]} is past the limit: integer labels number the classes from 0 to at most ${MAX_CLASSES - 1}`, LABELS_HINT);
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
 * A table of image paths (relative to the table) and labels, with a header naming
 * `path` and `label` columns. Integer labels are used as they are; named labels
 * become classes in sorted order.
 */
export async function readCsvTable(file: string, format: FileFormat, skip: boolean): Promise<ImageFiles> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError('E_DATA_MISSING', file, `cannot read: ${osReason(e)}`);
  }
  const [head, ...rows] = parseCsv(text);
  const header = head?.fields ?? [];
  const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const [p, l] = [column('path'), column('label')];
  if (p < 0 || l < 0) throw new DataError('E_DATA_FORMAT', file, `expected a header with 'path' and 'label' columns, got: ${header.join(', ')}`);
  if (rows.length === 0) throw new DataError('E_DATA_EMPTY', file, 'no rows after the header: expected one line per image (path,label)');
  const raw = rows.map((r) => (r.fields[l] ?? '').trim());
  const numeric = raw.every((v) => /^\d+$/.test(v));
  const names = numeric ? [] : [...new Set(raw)].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const labels = raw.map((v) => (numeric ? Number(v) : index.get(v)!));
  const entries = rows.map((r, i) => ({ file: resolve(dirname(file), (r.fields[p] ?? '').trim()), label: labels[i]! }));
  const classes = numeric ? integerClasses(labels, rows, file) : names.length;
  const { kept, skipped } = await checkFiles(entries, format, { skip });
  const set = filesSet(kept, format, classes, skipped);
  return numeric ? set : { ...set, classNames: names };
}
