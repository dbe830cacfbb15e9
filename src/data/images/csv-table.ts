import { dirname, resolve } from 'node:path';
import { DataError } from '../../errors.js';
import { csvRows, type CsvRow } from '../csv-rows.js';
import { checkFiles, type FileFormat } from './decode-images.js';
import { filesSet } from './images.js';
import type { ImageFiles } from './image-set.js';
import { tableLabels } from '../table-labels.js';

/**
 * A table of image paths (relative to the table) and labels, with a header naming
 * `path` and `label` columns. Integer labels are used as they are; named labels
 * become classes in sorted order (see tableLabels).
 */
export async function readCsvTable(file: string, format: FileFormat, skip: boolean): Promise<ImageFiles> {
  const all: CsvRow[] = [];
  for await (const row of csvRows(file, ',')) all.push(row);
  const [head, ...rows] = all;
  const header = head?.fields ?? [];
  const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const [p, l] = [column('path'), column('label')];
  if (p < 0 || l < 0) throw new DataError('E_DATA_FORMAT', file, `expected a header with 'path' and 'label' columns, got: ${header.join(', ')}`);
  if (rows.length === 0) throw new DataError('E_DATA_EMPTY', file, 'no rows after the header: expected one line per image (path,label)');
  const { labels, classes, classNames } = tableLabels(rows.map((r) => (r.fields[l] ?? '').trim()), rows.map((r) => r.line), file);
  const entries = rows.map((r, i) => ({ file: resolve(dirname(file), (r.fields[p] ?? '').trim()), label: labels[i]! }));
  const { kept, skipped } = await checkFiles(entries, format, { skip });
  const set = filesSet(kept, format, classes, skipped);
  return classNames ? { ...set, classNames } : set;
}
