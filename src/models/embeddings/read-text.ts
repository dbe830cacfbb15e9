import { DataError } from '../../errors.js';
import type { ChunkReader, ReadSummary, VectorSink } from './types.js';

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;
/** Longer than any line of word vectors (300 values take ~4 KB): not such a file. */
const MAX_LINE = 16 * 2 ** 20;

const blank = (byte: number | undefined) => byte === SPACE || byte === TAB || byte === CR;

export interface TextReaderOptions {
  readonly file: string;
  /** word2vec and fastText must start with a `count dim` line; a GloVe file read as word2vec when it does. */
  readonly format: 'glove' | 'word2vec' | 'fasttext';
}

/**
 * Reads the text layouts, a word and its values per line, separated by spaces or
 * tabs: GloVe (`word v1 ... vd`), and word2vec / fastText .vec, which start with a
 * `count dim` line. Only the vectors of wanted words are parsed as numbers; every
 * line's count of values is checked. Blank lines are skipped.
 */
export class TextReader implements ChunkReader {
  private carry: Buffer | undefined;
  private line = 0;
  private dim = 0;
  private declared: { count: number; dim: number } | undefined;
  private words = 0;
  private scratch = new Float32Array(0);

  constructor(private readonly sink: VectorSink, private readonly options: TextReaderOptions) {}

  take(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      this.readLine(buf, start, nl);
      start = nl + 1;
    }
    this.carry = start < buf.length ? buf.subarray(start) : undefined;
    if (this.carry && this.carry.length > MAX_LINE) {
      throw this.error('E_EMBEDDINGS_FORMAT', `line ${this.line + 1} is longer than ${MAX_LINE / 2 ** 20} MiB: not a text file of word vectors`);
    }
  }

  end(): ReadSummary {
    if (this.carry) this.readLine(this.carry, 0, this.carry.length);
    this.carry = undefined;
    if (this.words === 0) throw new DataError('E_EMBEDDINGS_EMPTY', this.options.file, 'holds no word vectors', 'give a file of word vectors, one word and its values per line');
    if (this.declared && this.declared.count !== this.words) {
      throw new DataError(this.words < this.declared.count ? 'E_EMBEDDINGS_TRUNCATED' : 'E_EMBEDDINGS_FORMAT', this.options.file,
        `the header says ${this.declared.count} words, the file holds ${this.words}`, 'the file is incomplete or damaged: fetch it again');
    }
    return { dim: this.dim, fileWords: this.words, format: this.declared ? (this.options.format === 'glove' ? 'word2vec' : this.options.format) : 'glove' };
  }

  private readLine(buf: Buffer, start: number, end: number): void {
    this.line++;
    if (this.line === 1 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    while (end > start && blank(buf[end - 1])) end--;
    if (end === start) return;
    if (this.line === 1 && this.readHeader(buf, start, end)) return;
    let wordEnd = start;
    while (wordEnd < end && buf[wordEnd] !== SPACE && buf[wordEnd] !== TAB) wordEnd++;
    if (this.dim === 0) this.setDim(countFields(buf, wordEnd, end));
    const word = buf.toString('utf8', start, wordEnd);
    this.words++;
    if (this.sink.wants(word)) {
      this.parseValues(buf, wordEnd, end);
      this.sink.put(word, this.scratch);
    } else {
      const count = countFields(buf, wordEnd, end);
      if (count !== this.dim) throw this.valueCount(count);
    }
  }

  /** Whether line 1 is `count dim`; where one is required and it is not, an error. */
  private readHeader(buf: Buffer, start: number, end: number): boolean {
    const match = /^(\d+)[ \t]+(\d+)$/.exec(buf.toString('latin1', start, Math.min(end, start + 64)));
    if (!match || end - start > 64) {
      if (this.options.format === 'glove') return false;
      throw this.error('E_EMBEDDINGS_FORMAT', 'expected the header line `count dim` (two whole numbers) of a word2vec or fastText text file',
        'a GloVe file has no header line: give its format as glove, or name it .txt');
    }
    const [count, dim] = [Number(match[1]), Number(match[2])];
    if (dim === 0) throw this.error('E_EMBEDDINGS_FORMAT', 'the header says the vectors have 0 values');
    this.declared = { count, dim };
    this.setDim(dim);
    return true;
  }

  private setDim(dim: number): void {
    if (dim === 0) throw this.error('E_EMBEDDINGS_FORMAT', 'a word without values: expected the word, then its vector\'s values, separated by spaces');
    this.dim = dim;
    this.scratch = new Float32Array(dim);
    this.sink.setDim(dim);
  }

  private parseValues(buf: Buffer, from: number, end: number): void {
    let count = 0;
    let i = from;
    for (;;) {
      while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
      if (i >= end) break;
      const tokenStart = i;
      while (i < end && buf[i] !== SPACE && buf[i] !== TAB) i++;
      if (count === this.dim) throw this.valueCount(count + countFields(buf, i, end) + 1);
      const value = Number(buf.toString('latin1', tokenStart, i));
      if (!Number.isFinite(value)) throw this.error('E_EMBEDDINGS_FORMAT', `value ${count + 1} is not a finite number`);
      this.scratch[count++] = value;
    }
    if (count !== this.dim) throw this.valueCount(count);
  }

  private valueCount(count: number): DataError {
    const why = this.declared ? 'as the header says' : 'as the first line has';
    return this.error('E_EMBEDDINGS_FORMAT', `expected ${this.dim} values after the word, ${why}; found ${count}`);
  }

  private error(code: string, message: string, hint = 'the file is damaged, or not in the format it is read as'): DataError {
    return new DataError(code, `${this.options.file}:${this.line}`, message, hint);
  }
}

/** The fields separated by spaces or tabs in buf[from, end). */
function countFields(buf: Buffer, from: number, end: number): number {
  let count = 0;
  let inField = false;
  for (let i = from; i < end; i++) {
    const byte = buf[i];
    const sep = byte === SPACE || byte === TAB;
    if (!sep && !inField) count++;
    inField = !sep;
  }
  return count;
}
