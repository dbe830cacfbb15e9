import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DataError } from '../../errors.js';
import { osReason } from '../../os-error.js';

/** One object of a JSON Lines file and its line (1-based). */
export interface JsonRow {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly line: number;
}

/**
 * The objects of a JSON Lines file, streamed: one JSON object per line, blank
 * lines skipped, a UTF-8 byte-order mark dropped. A line that is not a JSON
 * object is a DataError at its line; its text is never repeated in the message.
 */
export async function* jsonlRows(file: string): AsyncGenerator<JsonRow> {
  const source = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new DataError('E_DATA_FORMAT', file, `line ${line}: not valid JSON`, 'write one JSON object per line, such as {"text": "...", "label": "..."}');
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new DataError('E_DATA_FORMAT', file, `line ${line}: a JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, expected an object`,
          'write one JSON object per line, such as {"text": "...", "label": "..."}');
      }
      yield { fields: value as Record<string, unknown>, line };
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError('E_DATA_MISSING', file, `cannot read: ${osReason(e)}`);
  } finally {
    lines.close();
    source.destroy();
  }
}
