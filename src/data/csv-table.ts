import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataError } from '../errors.js';
import { decodeAll, type PixelFormat } from './decode-images.js';
import type { ImageSet } from './image-set.js';

/** Rows of a CSV text: commas, double-quoted fields with "" escapes, \n or \r\n. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') field += text[++i];
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/**
 * A table of image paths (relative to the table) and labels, with a header naming
 * `path` and `label` columns. Integer labels are used as they are; named labels
 * become classes in sorted order.
 */
export async function readCsvTable(file: string, format: PixelFormat, skip: boolean): Promise<ImageSet> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError('E_DATA_MISSING', file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const [header = [], ...rows] = parseCsv(text);
  const column = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
  const [p, l] = [column('path'), column('label')];
  if (p < 0 || l < 0) throw new DataError('E_DATA_FORMAT', file, `expected a header with 'path' and 'label' columns, got: ${header.join(', ')}`);
  const raw = rows.map((r) => (r[l] ?? '').trim());
  const numeric = raw.every((v) => /^\d+$/.test(v));
  const names = numeric ? [] : [...new Set(raw)].sort();
  const labelOf = (v: string) => (numeric ? Number(v) : names.indexOf(v));
  const entries = rows.map((r, i) => ({ file: resolve(dirname(file), (r[p] ?? '').trim()), label: labelOf(raw[i]!) }));
  const classes = numeric ? Math.max(...entries.map((e) => e.label)) + 1 : names.length;
  const set = await decodeAll(entries, format, { skip, classes });
  return numeric ? set : { ...set, classNames: names };
}
