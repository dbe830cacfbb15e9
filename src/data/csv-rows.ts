import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { DataError } from '../errors.js';
import { osReason } from '../os-error.js';

/** A row of a delimited table and the line it starts on (1-based). */
export interface CsvRow {
  readonly fields: string[];
  readonly line: number;
}

/** How a table's fields are separated: a comma (csv) or a tab (tsv). */
export type Delimiter = ',' | '\t';

/**
 * The longest record tlx reads, in characters. A quote that is never closed makes
 * the rest of the file one field; this stops that after a megabyte instead of at
 * the end of memory, with the line where it went wrong.
 */
export const MAX_RECORD_CHARS = 2 ** 20;

const NEWLINES = /\r\n|\r|\n/g;

/** Line breaks inside a record's fields (only quoted fields hold any). */
function breaks(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) n += f.match(NEWLINES)?.length ?? 0;
  return n;
}

/** The parser's complaint in tlx's words, at the line where the bad record starts; never the file's own text. */
function parseFailure(e: CsvError, file: string, after: number): DataError {
  const line = `line ${after + 1}`;
  const hint = 'quote a field that holds the delimiter, a quote or a line break ("..."), doubling the quotes inside it ("")';
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DataError('E_DATA_FORMAT', file, `${line}: a quoted field that starts here or later is never closed`, hint);
    case 'CSV_MAX_RECORD_SIZE':
      return new DataError('E_DATA_FORMAT', file, `${line}: a record is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (an unclosed quote?)`, hint);
    default:
      return new DataError('E_DATA_FORMAT', file, `${line}: not a well-formed table row (${e.code})`, hint);
  }
}

/**
 * The rows of a CSV or TSV file, streamed: RFC 4180 quoting ("" inside quotes),
 * line breaks inside quoted fields, \n, \r\n or \r line ends, a UTF-8 byte-order
 * mark dropped. Lines that are blank, or whose fields are all empty, are skipped;
 * rows may have fewer or more fields than the header. A quote inside an unquoted
 * field is kept as text (5" screen). Each row says the line it starts on.
 */
export async function* csvRows(file: string, delimiter: Delimiter): AsyncGenerator<CsvRow> {
  const source = createReadStream(file);
  const parser = source.pipe(parse({
    delimiter, bom: true, info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_CHARS,
  }));
  // pipe() does not pass the file's errors on (a missing file would go unheard).
  source.on('error', (e) => parser.destroy(e));
  let last = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines - breaks(record);
      last = info.lines;
      if (record.some((f) => f !== '')) yield { fields: record, line };
    }
  } catch (e) {
    if (e instanceof CsvError) throw parseFailure(e, file, last);
    throw new DataError('E_DATA_MISSING', file, `cannot read: ${osReason(e)}`);
  } finally {
    source.destroy();
    parser.destroy();
  }
}
