import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_CHARS } from '../../../src/data/csv-rows.js';
import { readTextTable, type TextTableOptions } from '../../../src/data/text/tables.js';
import { DataError } from '../../../src/errors.js';

const root = mkdtempSync(join(tmpdir(), 'tlx-text-table-'));
let count = 0;

/** Writes `content` to a fresh file with this extension and returns its path. */
function table(content: string | Buffer, ext: string): string {
  const file = join(root, `t${count++}.${ext}`);
  writeFileSync(file, content);
  return file;
}

const CSV: TextTableOptions = { format: 'csv', text: 'text', label: 'label' };

describe('readTextTable: csv and tsv', () => {
  it('quoting, doubled quotes, a delimiter and line breaks inside quotes, CRLF, blank lines, a BOM', async () => {
    const file = table('\uFEFFid,text,label\r\n1,"Loved it, really",pos\r\n\r\n2,"He said ""meh""\r\nand left",neg\r\n3,plain words,pos\r\n', 'csv');
    const set = await readTextTable(file, CSV);
    expect(set.texts).toEqual(['Loved it, really', 'He said "meh"\r\nand left', 'plain words']);
    expect(set.classNames).toEqual(['neg', 'pos']);
    expect([...set.labels]).toEqual([1, 0, 1]);
    expect(set.classes).toBe(2);
  });

  it('a BOM before the first column name still finds it', async () => {
    const set = await readTextTable(table('\uFEFFtext,label\na,x\nb,y\n', 'csv'), CSV);
    expect(set.texts).toEqual(['a', 'b']);
  });

  it('columns found trimmed and case ignored, like the image CSV; a 5" quote inside a field kept', async () => {
    const set = await readTextTable(table(' Review , Stars \nA 5" screen,1\nbad,0\n', 'csv'), { format: 'csv', text: 'review', label: 'stars' });
    expect(set.texts).toEqual(['A 5" screen', 'bad']);
    expect([...set.labels]).toEqual([1, 0]);
    expect(set.classNames).toBeUndefined();
  });

  it('tsv: tabs separate, commas are text', async () => {
    const set = await readTextTable(table('label\ttext\nb\tone, two\na\t"tab\tinside"\n', 'tsv'), { format: 'tsv', text: 'text', label: 'label' });
    expect(set.texts).toEqual(['one, two', 'tab\tinside']);
    expect(set.classNames).toEqual(['a', 'b']);
    expect([...set.labels]).toEqual([1, 0]);
  });

  it('named labels are sorted as the image CSV sorts them (UTF-16 order, not locale)', async () => {
    const set = await readTextTable(table('text,label\na,éclair\nb,Zebra\nc,apple\nd,Zebra\n', 'csv'), CSV);
    expect(set.classNames).toEqual(['Zebra', 'apple', 'éclair']);
    expect([...set.labels]).toEqual([2, 0, 1, 0]);
  });
});

describe('readTextTable: jsonl', () => {
  it('one object per line, blank lines skipped, numbers as labels, a BOM, CRLF', async () => {
    const file = table('\uFEFF{"text": "good", "label": 1}\r\n\r\n{"text": "bad", "label": 0, "extra": [1]}\r\n   \n{"label": 1, "text": "fine"}', 'jsonl');
    const set = await readTextTable(file, { format: 'jsonl', text: 'text', label: 'label' });
    expect(set.texts).toEqual(['good', 'bad', 'fine']);
    expect([...set.labels]).toEqual([1, 0, 1]);
    expect(set.classNames).toBeUndefined();
  });

  it('string labels become sorted class names; booleans named as JSON writes them', async () => {
    const file = table('{"t": "a", "y": true}\n{"t": "b", "y": false}\n', 'jsonl');
    const set = await readTextTable(file, { format: 'jsonl', text: 't', label: 'y' });
    expect(set.classNames).toEqual(['false', 'true']);
    expect([...set.labels]).toEqual([1, 0]);
  });
});

interface Refusal {
  readonly name: string;
  readonly content: string;
  readonly options: TextTableOptions;
  readonly code: string;
  /** After `<file>: `. */
  readonly message: string | RegExp;
  readonly hint?: string;
}

const JSONL: TextTableOptions = { format: 'jsonl', text: 'text', label: 'label' };
const SECRET = 'SECRET-CONTENT';

const REFUSALS: readonly Refusal[] = [
  { name: 'a missing text column, with a did-you-mean', content: 'txt,label\na,b\n', options: CSV, code: 'E_DATA_FORMAT',
    message: "no column 'text' (the text); columns: 'txt', 'label'", hint: "did you mean 'txt'?" },
  { name: 'a missing label column', content: 'text,sentiment\na,b\n', options: CSV, code: 'E_DATA_FORMAT',
    message: "no column 'label' (the label); columns: 'text', 'sentiment'", hint: 'name the label column with `label:` in the data block' },
  { name: 'an empty text, at its line (a multi-line row before it counted)', content: 'text,label\n"two\nlines",a\n  ,b\n', options: CSV, code: 'E_DATA_EMPTY',
    message: 'line 4: the text is empty' },
  { name: 'a row too short to have a label', content: 'text,label\nfine,a\nshort\n', options: CSV, code: 'E_DATA_LABEL', message: 'line 3: no label' },
  { name: 'a blank label', content: 'text,label\nfine,a\nalso fine,b\n\nno label, \n', options: CSV, code: 'E_DATA_LABEL', message: 'line 5: no label' },
  { name: 'one class only', content: 'text,label\na,pos\nb,pos\n', options: CSV, code: 'E_DATA_LABEL',
    message: "every row has the same label ('pos'): a classifier needs at least 2 classes" },
  { name: 'integer labels past MAX_CLASSES', content: 'text,label\na,0\n\nb,99999999\n', options: CSV, code: 'E_DATA_LABEL',
    message: 'line 4: label 99999999 is past the limit: integer labels number the classes from 0 to at most 99999' },
  { name: 'integer labels with a gap', content: 'text,label\na,0\nb,2\n', options: CSV, code: 'E_DATA_EMPTY',
    message: 'integer labels number the classes from 0 to 2, but class 1 has no rows' },
  { name: 'only a header', content: 'text,label\n', options: CSV, code: 'E_DATA_EMPTY', message: 'no rows after the header: expected one row per text' },
  { name: 'an empty file', content: '', options: CSV, code: 'E_DATA_EMPTY', message: /^the file is empty/ },
  { name: 'a quote never closed, at the line where its row starts', content: `text,label\na,b\n"${SECRET},c\nd,e\n`, options: CSV, code: 'E_DATA_FORMAT',
    message: 'line 3: a quoted field that starts here or later is never closed' },
  { name: 'jsonl: a line that is not JSON, its content not echoed', content: `{"text": "a", "label": 0}\n\n{"text": "${SECRET}", label: 1}\n`, options: JSONL,
    code: 'E_DATA_FORMAT', message: 'line 3: not valid JSON' },
  { name: 'jsonl: a JSON array, not an object', content: `{"text": "a", "label": 0}\n["${SECRET}"]\n`, options: JSONL, code: 'E_DATA_FORMAT',
    message: 'line 2: a JSON array, expected an object' },
  { name: 'jsonl: a missing text field, with a did-you-mean', content: '{"text": "a", "label": 0}\n{"Text": "b", "label": 1}\n', options: JSONL, code: 'E_DATA_FORMAT',
    message: "line 2: no field 'text' (the text); fields: 'Text', 'label'", hint: "did you mean 'Text'?" },
  { name: 'jsonl: a null label', content: '{"text": "a", "label": 0}\n{"text": "b", "label": null}\n', options: JSONL, code: 'E_DATA_LABEL', message: 'line 2: no label' },
  { name: 'jsonl: an object as label', content: '{"text": "a", "label": {"x": 1}}\n', options: JSONL, code: 'E_DATA_LABEL',
    message: "line 1: the label 'label' is a JSON object, expected a class name or number" },
  { name: 'jsonl: a number as text', content: '{"text": 5, "label": 0}\n', options: JSONL, code: 'E_DATA_FORMAT', message: "line 1: the text 'text' is a JSON number, expected a string" },
  { name: 'jsonl: nothing but blank lines', content: '\n  \n', options: JSONL, code: 'E_DATA_EMPTY', message: 'no objects: expected one JSON object per line' },
];

describe('readTextTable refuses, naming the file and line', () => {
  it.each(REFUSALS)('$name', async ({ content, options, code, message, hint }) => {
    const file = table(content, options.format);
    const error = await readTextTable(file, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    const e = error as DataError;
    expect(e.code).toBe(code);
    expect(e.file).toBe(file);
    expect(e.message.startsWith(`${file}: `)).toBe(true);
    const rest = e.message.slice(file.length + 2);
    if (typeof message === 'string') expect(rest).toBe(message);
    else expect(rest).toMatch(message);
    if (hint) expect(e.hint).toBe(hint);
    expect(e.message).not.toContain(SECRET);
  });

  it('a record past MAX_RECORD_CHARS (an unclosed quote eating the file) stops at its line', async () => {
    const file = table(`text,label\na,b\n"${'x'.repeat(MAX_RECORD_CHARS + 10)}\n`, 'csv');
    const error = await readTextTable(file, CSV).catch((e: unknown) => e);
    expect((error as DataError).message).toBe(`${file}: line 3: a record is longer than 1,048,576 characters (an unclosed quote?)`);
  });

  it('a missing file', async () => {
    const file = join(root, 'absent.csv');
    for (const format of ['csv', 'jsonl'] as const) {
      const error = await readTextTable(file, { ...CSV, format }).catch((e: unknown) => e);
      expect((error as DataError).message).toBe(`${file}: cannot read: no such file or folder (ENOENT)`);
    }
  });
});
