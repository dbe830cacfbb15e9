import { DataError } from '../../errors.js';
import type { ChunkReader, ReadSummary, VectorSink } from './types.js';

const NEWLINE = 10;
const SPACE = 32;
/** Longer than any word: not a word2vec binary file (or one read from the wrong place). */
const MAX_WORD = 4096;
const MAX_HEADER = 64;

/**
 * Reads word2vec's binary layout: a header line `count dim\n`, then per word its
 * UTF-8 bytes up to a space, then dim little-endian float32 values, optionally
 * followed by '\n'. Only the vectors of wanted words are decoded.
 */
export class BinaryReader implements ChunkReader {
  private carry: Buffer | undefined;
  /** Offset in the file of the carry's first byte (of the chunk's, without one). */
  private base = 0;
  private count = -1;
  private dim = 0;
  private words = 0;
  private scratch = new Float32Array(0);

  constructor(private readonly sink: VectorSink, private readonly file: string) {}

  take(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let pos = 0;
    if (this.count < 0) {
      pos = this.readHeader(buf);
      if (pos < 0) {
        this.carry = buf;
        return;
      }
    }
    pos = this.readWords(buf, pos);
    if (this.words === this.count) {
      this.checkRest(buf, pos);
      pos = buf.length;
    }
    this.base += pos;
    this.carry = pos < buf.length ? buf.subarray(pos) : undefined;
  }

  end(): ReadSummary {
    if (this.count < 0) {
      if (this.carry) this.readHeader(this.carry, true);
      throw new DataError('E_EMBEDDINGS_EMPTY', this.file, 'holds no word vectors', 'give a word2vec binary file: a line `count dim`, then the words and their float32 values');
    }
    if (this.words < this.count) {
      throw new DataError('E_EMBEDDINGS_TRUNCATED', this.file,
        `ends at byte ${this.base + (this.carry?.length ?? 0)}, inside word ${this.words + 1} of the ${this.count} the header announces`,
        'the file is incomplete: fetch it again');
    }
    if (this.words === 0) throw new DataError('E_EMBEDDINGS_EMPTY', this.file, 'holds no word vectors (the header says 0 words)');
    return { dim: this.dim, fileWords: this.words, format: 'word2vec-binary' };
  }

  /** The header's end, or -1 when more bytes are needed. */
  private readHeader(buf: Buffer, last = false): number {
    const newline = buf.indexOf(NEWLINE);
    if (newline < 0 && buf.length < MAX_HEADER && !last) return -1;
    const match = newline >= 0 && newline < MAX_HEADER ? /^\s*(\d+)[ \t]+(\d+)\s*$/.exec(buf.toString('latin1', 0, newline)) : null;
    if (!match || Number(match[2]) === 0) {
      throw new DataError('E_EMBEDDINGS_FORMAT', this.file, 'expected the header line `count dim` (two whole numbers, dim above 0) of a word2vec binary file',
        'the file is damaged, or not word2vec binary: give its format');
    }
    this.count = Number(match[1]);
    this.dim = Number(match[2]);
    this.scratch = new Float32Array(this.dim);
    this.sink.setDim(this.dim);
    return newline + 1;
  }

  private readWords(buf: Buffer, pos: number): number {
    const size = this.dim * 4;
    while (this.words < this.count) {
      let start = pos;
      while (start < buf.length && buf[start] === NEWLINE) start++;
      const space = buf.indexOf(SPACE, start);
      if (space < 0) {
        if (buf.length - start > MAX_WORD) throw this.error(start, `no space ends the word within ${MAX_WORD} bytes`);
        return pos;
      }
      if (space - start > MAX_WORD) throw this.error(start, `no space ends the word within ${MAX_WORD} bytes`);
      if (space === start) throw this.error(start, 'an empty word: expected the word\'s bytes, a space, then its values');
      if (space + 1 + size > buf.length) return pos;
      const word = buf.toString('utf8', start, space);
      this.words++;
      if (this.sink.wants(word)) {
        for (let k = 0; k < this.dim; k++) {
          const value = buf.readFloatLE(space + 1 + 4 * k);
          if (!Number.isFinite(value)) throw this.error(start, `value ${k + 1} is not a finite number`, this.words);
          this.scratch[k] = value;
        }
        this.sink.put(word, this.scratch);
      }
      pos = space + 1 + size;
    }
    return pos;
  }

  /** After the announced words, only blank bytes may follow. */
  private checkRest(buf: Buffer, pos: number): void {
    for (let i = pos; i < buf.length; i++) {
      const byte = buf[i];
      if (byte !== NEWLINE && byte !== SPACE && byte !== 13 && byte !== 9) {
        throw this.error(i, `data after the ${this.count} word${this.count === 1 ? '' : 's'} the header announces`, this.count);
      }
    }
  }

  private error(offset: number, message: string, word = this.words + 1): DataError {
    return new DataError('E_EMBEDDINGS_FORMAT', this.file, `word ${word} (byte ${this.base + offset}): ${message}`,
      'the file is damaged, or not word2vec binary: give its format');
  }
}
