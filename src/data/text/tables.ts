import { didYouMean } from '../../config/suggest.js';
import { DataError } from '../../errors.js';
import { csvRows } from '../csv-rows.js';
import { tableLabels } from '../table-labels.js';
import { jsonlRows } from './jsonl-rows.js';
import type { TextSet } from './text-set.js';

export type TextTableFormat = 'csv' | 'tsv' | 'jsonl';

export interface TextTableOptions {
  readonly format: TextTableFormat;
  /** The column (csv, tsv) or field (jsonl) holding the text. */
  readonly text: string;
  /** The column or field holding the label: a class name, or a class number 0..k-1. */
  readonly label: string;
}

/** A row's text and label as found, before labels become classes. */
interface Cells {
  readonly text: string;
  readonly label: string;
  readonly line: number;
}

/** A column name as a message may show it: quoted, control characters escaped, long ones cut. */
function shown(name: string): string {
  const cut = name.length > 40 ? `${name.slice(0, 40)}...` : name;
  return `'${JSON.stringify(cut).slice(1, -1)}'`;
}

function listed(names: readonly string[]): string {
  const some = names.slice(0, 12).map(shown).join(', ');
  return names.length > 12 ? `${some}, ... (${names.length} in all)` : some || '(none)';
}

function missingColumn(file: string, where: string, role: 'text' | 'label', name: string, names: readonly string[]): DataError {
  return new DataError('E_DATA_FORMAT', file, `${where}no ${where ? 'field' : 'column'} ${shown(name)} (the ${role}); ${where ? 'fields' : 'columns'}: ${listed(names)}`,
    didYouMean(name, names) ?? `name the ${role} column with \`${role}:\` in the data block`);
}

/** CSV or TSV: a header row names the columns, matched trimmed and case ignored, as the image CSV does. */
async function* delimitedCells(file: string, delimiter: ',' | '\t', options: TextTableOptions): AsyncGenerator<Cells> {
  let columns: [number, number] | undefined;
  for await (const row of csvRows(file, delimiter)) {
    if (!columns) {
      const header = row.fields.map((h) => h.trim());
      const find = (name: string) => {
        const exact = header.indexOf(name.trim());
        return exact >= 0 ? exact : header.findIndex((h) => h.toLowerCase() === name.trim().toLowerCase());
      };
      const [t, l] = [find(options.text), find(options.label)];
      if (t < 0) throw missingColumn(file, '', 'text', options.text, header);
      if (l < 0) throw missingColumn(file, '', 'label', options.label, header);
      columns = [t, l];
      continue;
    }
    yield { text: row.fields[columns[0]] ?? '', label: (row.fields[columns[1]] ?? '').trim(), line: row.line };
  }
  if (!columns) throw new DataError('E_DATA_EMPTY', file, 'the file is empty: expected a header row naming the columns, then one row per text');
}

/** A JSON value as a label: strings trimmed, numbers and booleans as JSON writes them; nothing else names a class. */
function jsonLabel(value: unknown, file: string, line: number, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new DataError('E_DATA_LABEL', file, `line ${line}: the label ${shown(field)} is a JSON ${Array.isArray(value) ? 'array' : 'object'}, expected a class name or number`);
}

/** JSON Lines: every object must have the text field (a string); a label that is absent or null is a missing label. */
async function* jsonlCells(file: string, options: TextTableOptions): AsyncGenerator<Cells> {
  for await (const { fields, line } of jsonlRows(file)) {
    if (!(options.text in fields)) throw missingColumn(file, `line ${line}: `, 'text', options.text, Object.keys(fields));
    if (!(options.label in fields)) throw missingColumn(file, `line ${line}: `, 'label', options.label, Object.keys(fields));
    const text = fields[options.text];
    if (typeof text !== 'string' && text !== null) {
      throw new DataError('E_DATA_FORMAT', file, `line ${line}: the text ${shown(options.text)} is a JSON ${Array.isArray(text) ? 'array' : typeof text}, expected a string`);
    }
    yield { text: text ?? '', label: jsonLabel(fields[options.label], file, line, options.label), line };
  }
}

/**
 * A table of texts and labels: CSV or TSV with a header row (quoted fields may
 * span lines), or JSON Lines (one object per line). Every row needs a text that is
 * not blank and a label; labels follow the image CSV's rule (tableLabels): all
 * integers are class numbers, otherwise the distinct names, sorted, are the
 * classes. At least 2 classes. Errors name the file and the row's line.
 */
export async function readTextTable(file: string, options: TextTableOptions): Promise<TextSet> {
  const rows = options.format === 'jsonl' ? jsonlCells(file, options) : delimitedCells(file, options.format === 'csv' ? ',' : '\t', options);
  const texts: string[] = [];
  const raw: string[] = [];
  const lines: number[] = [];
  for await (const { text, label, line } of rows) {
    if (text.trim() === '') throw new DataError('E_DATA_EMPTY', file, `line ${line}: the text is empty`, 'remove the row, or give it its text');
    if (label === '') throw new DataError('E_DATA_LABEL', file, `line ${line}: no label`, 'give every row a label (a class name or number)');
    texts.push(text);
    raw.push(label);
    lines.push(line);
  }
  if (texts.length === 0) {
    throw new DataError('E_DATA_EMPTY', file, options.format === 'jsonl' ? 'no objects: expected one JSON object per line' : 'no rows after the header: expected one row per text');
  }
  const { labels, classes, classNames } = tableLabels(raw, lines, file);
  if (classes < 2) {
    throw new DataError('E_DATA_LABEL', file, `every row has the same label (${classNames ? shown(classNames[0]!) : '0'}): a classifier needs at least 2 classes`,
      'is the label column the right one?');
  }
  return { texts, labels, classes, ...(classNames ? { classNames } : {}) };
}
