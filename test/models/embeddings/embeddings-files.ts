// Small word-vector files written by the tests, in each layout tlx reads, from
// random words and vectors; and the matrix a vocabulary should get from them.
import { gzipSync } from 'node:zlib';
import type { EmbeddingsFormat } from '../../../src/models/embeddings/types.js';
import { pick, randomArray, randomInt } from '../../support/random.js';

export interface Vectors {
  readonly dim: number;
  /** In file order; words are distinct. */
  readonly words: readonly string[];
  readonly vectors: readonly Float32Array[];
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-\'.éüß日本語';

/** Distinct random words (cased, some non-ASCII, some with a quote or backslash where `jsonEscapes`). */
export function randomVectors(next: () => number, count: number, dim: number, jsonEscapes = false): Vectors {
  const words = new Set<string>();
  while (words.size < count) {
    let word = '';
    for (let n = randomInt(next, 1, 9); n > 0; n--) word += pick(next, [...LETTERS]);
    if (jsonEscapes && next() < 0.1) word += pick(next, ['"', '\\', '\u0001']);
    words.add(word);
  }
  return { dim, words: [...words], vectors: [...words].map(() => randomArray(next, dim)) };
}

/** Bytes of a file in a layout; `next` varies the blanks (spaces, tabs, CRLF, trailing spaces) the layout allows. */
export function writeVectors(format: EmbeddingsFormat, v: Vectors, next: () => number): Buffer {
  switch (format) {
    case 'glove':
      return Buffer.from(textLines(v, next));
    case 'word2vec':
    case 'fasttext':
      return Buffer.from(`${v.words.length} ${v.dim}\n${textLines(v, next)}`);
    case 'word2vec-binary':
      return binary(v, next() < 0.5);
    case 'wink':
      return Buffer.from(wink(v, next() < 0.5 ? 2 : undefined));
  }
}

function textLines(v: Vectors, next: () => number): string {
  const crlf = next() < 0.3;
  return v.words.map((word, i) => {
    const sep = () => (next() < 0.8 ? ' ' : pick(next, ['\t', '  ', ' \t']));
    const values = [...v.vectors[i]!].map(String);
    return `${word}${values.map((x) => `${sep()}${x}`).join('')}${next() < 0.2 ? ' ' : ''}${crlf ? '\r\n' : '\n'}`;
  }).join('');
}

function binary(v: Vectors, newlines: boolean): Buffer {
  const parts: Buffer[] = [Buffer.from(`${v.words.length} ${v.dim}\n`)];
  v.words.forEach((word, i) => {
    parts.push(Buffer.from(`${word} `));
    const values = Buffer.alloc(v.dim * 4);
    v.vectors[i]!.forEach((x, k) => values.writeFloatLE(x, 4 * k));
    parts.push(values);
    if (newlines) parts.push(Buffer.from('\n'));
  });
  return Buffer.concat(parts);
}

/** wink-embeddings' layout: each vector followed by its l2 norm and its index. */
export function wink(v: Vectors, indent?: number): string {
  const vectors: Record<string, number[]> = {};
  v.words.forEach((word, i) => {
    const x = [...v.vectors[i]!];
    vectors[word] = [...x, Math.hypot(...x), i];
  });
  return JSON.stringify({
    precision: 8, l2NormIndex: v.dim, wordIndex: v.dim + 1, size: v.words.length, dimensions: v.dim,
    words: v.words, vectors, unkVector: [...new Array<number>(v.dim).fill(0), -1],
  }, null, indent);
}

export function compressed(bytes: Buffer, gzip: boolean): Buffer {
  return gzip ? gzipSync(bytes) : bytes;
}

/** The matrix a vocabulary should get: exact words only, the first 2 rows reserved. */
export function expectedMatrix(v: Vectors, vocabulary: readonly string[]): { values: Float32Array; found: Uint8Array } {
  const index = new Map(v.words.map((w, i) => [w, i]));
  const values = new Float32Array(vocabulary.length * v.dim);
  const found = new Uint8Array(vocabulary.length);
  vocabulary.forEach((word, row) => {
    const i = index.get(word);
    if (row < 2 || i == null) return;
    found[row] = 1;
    values.set(v.vectors[i]!, row * v.dim);
  });
  return { values, found };
}

/** '<pad>', '<unk>', then some of the file's words and some absent ones, shuffled. */
export function randomVocabulary(next: () => number, v: Vectors, absent: number): string[] {
  const words = v.words.filter(() => next() < 0.6);
  for (let i = 0; i < absent; i++) words.push(`absent${i}~${randomInt(next, 0, 1e6)}`);
  for (let i = words.length - 1; i > 0; i--) {
    const j = randomInt(next, 0, i);
    [words[i], words[j]] = [words[j]!, words[i]!];
  }
  return ['<pad>', '<unk>', ...words];
}
