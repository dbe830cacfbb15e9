import { DataError } from '../../errors.js';
import type { ChunkReader, ReadSummary, VectorSink } from './types.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const CLOSE_BRACKET = 93;
const MAX_STRING = 4096;
/** A carry this long is no key, number or vector: the file is not the JSON expected. */
const MAX_CARRY = 16 * 2 ** 20;

const isSpace = (b: number | undefined) => b === 32 || b === 10 || b === 13 || b === 9;
const NUMERIC_KEYS = new Set(['dimensions', 'l2NormIndex', 'wordIndex', 'size', 'precision']);

type State = 'start' | 'topKey' | 'topColon' | 'topNumber' | 'topAfter' | 'skip'
  | 'vecOpen' | 'vecKey' | 'vecColon' | 'vecArrayOpen' | 'vecArray' | 'vecSkip' | 'vecAfter' | 'end';

/** Where a need for more bytes stops a step: the carry starts where the step did. */
const MORE = -1;

/**
 * Reads wink-embeddings' JSON without holding it whole: one object whose
 * `dimensions` (and `l2NormIndex`, `wordIndex`) come before `vectors`, an object of
 * `word: [v1 ... vd, l2norm, index]`. The two numbers after the vector are not part
 * of it. Other keys (`words`, `unkVector`, ...) are skipped unread. Only the wanted
 * words' arrays are parsed as numbers; every array's length is checked.
 */
export class WinkReader implements ChunkReader {
  private carry: Buffer | undefined;
  private base = 0;
  private state: State = 'start';
  private first = true;
  private key = '';
  private word = '';
  private readonly header = new Map<string, number>();
  private dim = 0;
  private arrayLength = 0;
  private words = 0;
  private scratch = new Float32Array(0);
  private sawVectors = false;
  // The generic skipper's state: open containers, inside a string, after a backslash, inside a number or literal.
  private depth = 0;
  private inString = false;
  private escape = false;
  private primitive = false;
  private commas = 0;
  /** Where the current word's array starts in the file, for messages. */
  private arrayStart = 0;

  constructor(private readonly sink: VectorSink, private readonly file: string) {}

  take(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let pos = 0;
    while (pos < buf.length) {
      const next = this.step(buf, pos);
      if (next === MORE) break;
      pos = next;
    }
    this.base += pos;
    this.carry = pos < buf.length ? buf.subarray(pos) : undefined;
    if (this.carry && this.carry.length > MAX_CARRY) throw this.error(0, `a value longer than ${MAX_CARRY / 2 ** 20} MiB`);
  }

  end(): ReadSummary {
    if (this.state !== 'end') {
      const where = this.sawVectors ? `in the vectors, after ${this.words} word${this.words === 1 ? '' : 's'}` : 'before its vectors';
      throw new DataError('E_EMBEDDINGS_TRUNCATED', this.file, `ends inside the JSON, ${where} (byte ${this.base + (this.carry?.length ?? 0)})`,
        'the file is incomplete: install or fetch it again');
    }
    if (!this.sawVectors || this.words === 0) {
      throw new DataError('E_EMBEDDINGS_EMPTY', this.file, 'holds no word vectors: expected a "vectors" object of word: [values] as wink-embeddings has',
        'give a wink-embeddings JSON file, or the format of this one');
    }
    return { dim: this.dim, fileWords: this.words, format: 'wink' };
  }

  /** Advances through one unit (punctuation, key, number, array) from pos: the new position, or MORE. */
  private step(buf: Buffer, pos: number): number {
    if (this.state === 'skip') return this.skip(buf, pos);
    if (this.state === 'vecSkip') return this.skipVector(buf, pos);
    let i = pos;
    while (i < buf.length && isSpace(buf[i])) i++;
    if (i === buf.length) return i;
    const c = buf[i]!;
    switch (this.state) {
      case 'start':
        this.expect(c, '{', i, 'a JSON object');
        return this.go('topKey', i + 1, true);
      case 'topKey':
      case 'vecKey': {
        if (c === 0x7d && this.first) return this.go(this.state === 'topKey' ? 'end' : 'topAfter', i + 1);
        const str = this.string(buf, i);
        if (str == null) return MORE;
        if (this.state === 'topKey') this.key = str.value;
        else this.word = str.value;
        return this.go(this.state === 'topKey' ? 'topColon' : 'vecColon', str.end);
      }
      case 'topColon':
        this.expect(c, ':', i, "':' after the key");
        if (this.key === 'vectors') return this.go('vecOpen', i + 1);
        if (NUMERIC_KEYS.has(this.key)) return this.go('topNumber', i + 1);
        [this.depth, this.inString, this.escape, this.primitive] = [0, false, false, false];
        return this.go('skip', i + 1);
      case 'topNumber':
        return this.topNumber(buf, i);
      case 'topAfter':
      case 'vecAfter':
        if (c === COMMA) return this.go(this.state === 'topAfter' ? 'topKey' : 'vecKey', i + 1, false);
        this.expect(c, '}', i, "',' or '}'");
        return this.go(this.state === 'topAfter' ? 'end' : 'topAfter', i + 1);
      case 'vecOpen':
        this.expect(c, '{', i, 'an object of word: [values] for "vectors"');
        this.startVectors(i);
        return this.go('vecKey', i + 1, true);
      case 'vecColon':
        this.expect(c, ':', i, "':' after the word");
        return this.go('vecArrayOpen', i + 1);
      case 'vecArrayOpen':
        this.expect(c, '[', i, "the word's array of values");
        this.commas = 0;
        this.arrayStart = this.base + i;
        return this.go(this.sink.wants(this.word) ? 'vecArray' : 'vecSkip', i + 1);
      case 'vecArray':
        return this.readVector(buf, i);
      case 'end':
        throw this.error(i, 'more data after the end of the JSON object');
    }
  }

  private go(state: State, pos: number, first?: boolean): number {
    this.state = state;
    if (first != null) this.first = first;
    return pos;
  }

  private topNumber(buf: Buffer, i: number): number {
    let end = i;
    while (end < buf.length && buf[end] !== COMMA && buf[end] !== 0x7d && !isSpace(buf[end])) end++;
    if (end === buf.length) return MORE;
    const value = Number(buf.toString('latin1', i, end));
    if (!Number.isInteger(value) || value < 0) throw this.error(i, `"${this.key}" must be a whole number`);
    this.header.set(this.key, value);
    return this.go('topAfter', end);
  }

  private startVectors(i: number): void {
    const dim = this.header.get('dimensions');
    if (dim == null || dim === 0) throw this.error(i, '"dimensions" (above 0) must come before "vectors"');
    this.dim = dim;
    this.arrayLength = Math.max(dim, (this.header.get('l2NormIndex') ?? -1) + 1, (this.header.get('wordIndex') ?? -1) + 1);
    this.scratch = new Float32Array(dim);
    this.sawVectors = true;
    this.sink.setDim(dim);
  }

  private readVector(buf: Buffer, i: number): number {
    const close = buf.indexOf(CLOSE_BRACKET, i);
    if (close < 0) return MORE;
    let count = 0;
    for (let start = i; start <= close; count++) {
      let end = buf.indexOf(COMMA, start);
      if (end < 0 || end > close) end = close;
      if (count < this.dim) {
        const text = buf.toString('latin1', start, end).trim();
        const value = text === '' ? NaN : Number(text);
        if (!Number.isFinite(value)) throw this.error(start, `value ${count + 1} of word ${this.words + 1}'s vector is not a finite number`);
        this.scratch[count] = value;
      }
      start = end + 1;
    }
    this.checkLength(count);
    this.sink.put(this.word, this.scratch);
    return this.go('vecAfter', close + 1);
  }

  /** Counts the values of an unwanted word's array, through as many chunks as it spans. */
  private skipVector(buf: Buffer, pos: number): number {
    const close = buf.indexOf(CLOSE_BRACKET, pos);
    const end = close < 0 ? buf.length : close;
    for (let comma = buf.indexOf(COMMA, pos); comma >= 0 && comma < end; comma = buf.indexOf(COMMA, comma + 1)) this.commas++;
    if (close < 0) return buf.length;
    this.checkLength(this.commas + 1);
    return this.go('vecAfter', close + 1);
  }

  private checkLength(count: number): void {
    this.words++;
    if (count !== this.arrayLength) {
      throw this.error(this.arrayStart - this.base, `word ${this.words}'s array has ${count} values, expected ${this.arrayLength} (${this.dim} of the vector and the numbers after it)`);
    }
  }

  /** Passes over one JSON value of any kind, through as many chunks as it spans. */
  private skip(buf: Buffer, pos: number): number {
    for (let i = pos; i < buf.length; i++) {
      const b = buf[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.depth === 0) return this.go('topAfter', i + 1);
        }
      } else if (this.primitive) {
        if (b === COMMA || b === 0x7d || b === CLOSE_BRACKET || isSpace(b)) return this.go('topAfter', i);
      } else if (b === QUOTE) this.inString = true;
      else if (b === 0x7b || b === 0x5b) this.depth++;
      else if (b === 0x7d || b === CLOSE_BRACKET) {
        if (this.depth === 0) throw this.expected(i, 'a value after the key');
        if (--this.depth === 0) return this.go('topAfter', i + 1);
      } else if (this.depth === 0 && !isSpace(b)) this.primitive = true;
    }
    return buf.length;
  }

  /** A JSON string at buf[i] and the position after it; undefined when it goes on past the buffer. */
  private string(buf: Buffer, i: number): { value: string; end: number } | undefined {
    if (buf[i] !== QUOTE) throw this.expected(i, this.state === 'topKey' ? 'a key (a string in double quotes)' : 'a word (a string in double quotes)');
    for (let from = i + 1; ;) {
      const quote = buf.indexOf(QUOTE, from);
      if (quote < 0 || quote - i > MAX_STRING) {
        if (buf.length - i > MAX_STRING) throw this.error(i, `no string ends within ${MAX_STRING} bytes`);
        return undefined;
      }
      let backslashes = 0;
      while (buf[quote - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 1) {
        from = quote + 1;
        continue;
      }
      const escaped = buf.indexOf(BACKSLASH, i + 1);
      if (escaped < 0 || escaped > quote) return { value: buf.toString('utf8', i + 1, quote), end: quote + 1 };
      try {
        return { value: JSON.parse(buf.toString('utf8', i, quote + 1)) as string, end: quote + 1 };
      } catch {
        throw this.expected(i, 'a string with valid escape sequences');
      }
    }
  }

  private expect(c: number, want: string, i: number, what: string): void {
    if (c !== want.charCodeAt(0)) throw this.expected(i, what);
  }

  private expected(i: number, what: string): DataError {
    return this.error(i, `expected ${what}`);
  }

  /** `at byte N: ...`, never the bytes found there. */
  private error(offset: number, message: string): DataError {
    return new DataError('E_EMBEDDINGS_FORMAT', this.file, `at byte ${this.base + offset}: ${message}`,
      'the file is damaged, or not wink-embeddings JSON: install or fetch it again, or give its format');
  }
}
