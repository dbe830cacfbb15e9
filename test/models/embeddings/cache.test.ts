import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddingMatrix } from '../../../src/models/embeddings/embedding-matrix.js';
import { randomArray, randomInt, rng, testSeed } from '../../support/random.js';
import { randomVocabulary, randomVectors, writeVectors } from './embeddings-files.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-embeddings-cache-'));
const STAMP = 1_000_000_000; // a whole second: utimes restores it exactly

/** A GloVe file of random vectors, its modification time set to STAMP. */
function glove(name: string, seed: number) {
  const next = rng(seed);
  const v = randomVectors(next, randomInt(next, 30, 80), randomInt(next, 2, 16));
  const file = join(dir, name);
  writeFileSync(file, writeVectors('glove', v, next));
  utimesSync(file, STAMP, STAMP);
  return { v, file, vocabulary: randomVocabulary(next, v, 5), next };
}

describe('the embeddings cache', () => {
  it('a second read of the same file for the same vocabulary comes from the cache, bit-identical, without reading the file', async () => {
    const seed = testSeed();
    const { file, vocabulary } = glove(`same-${seed}.txt`, seed);
    const cacheDir = join(dir, `cache-${seed}`);
    let reads = 0;
    let last = { bytes: 0, total: 0 };
    const first = await embeddingMatrix({ file }, vocabulary, { cacheDir, onProgress: (p) => { reads++; last = p; } });
    expect(first.cached).toBe(false);
    expect(reads).toBeGreaterThan(0);
    expect(last).toEqual({ bytes: statSync(file).size, total: statSync(file).size });
    expect(existsSync(join(cacheDir, 'embeddings', `${first.cacheKey}.bin`))).toBe(true);
    expect(JSON.parse(readFileSync(join(cacheDir, 'embeddings', `${first.cacheKey}.json`), 'utf8'))).toMatchObject({ dim: first.dim, rows: vocabulary.length, fileSha256: first.fileSha256 });

    // Other vectors of the same length in the same place, with the same time: only a read would see them.
    const bytes = readFileSync(file);
    writeFileSync(file, Buffer.from(bytes.toString('latin1').replace(/\d/g, (d) => String((Number(d) + 1) % 10)), 'latin1'));
    utimesSync(file, STAMP, STAMP);
    reads = 0;
    const second = await embeddingMatrix({ file }, vocabulary, { cacheDir, onProgress: () => reads++ });
    expect(second.cached, `seed ${seed}`).toBe(true);
    expect(reads).toBe(0);
    expect(second.cacheKey).toBe(first.cacheKey);
    expect(second.fileSha256).toBe(first.fileSha256);
    expect(Buffer.from(second.values.buffer).equals(Buffer.from(first.values.buffer)), `seed ${seed}`).toBe(true);
    expect([...second.found]).toEqual([...first.found]);
    expect([second.dim, second.fileWords, second.format]).toEqual([first.dim, first.fileWords, first.format]);
  });

  it('new content (a new modification time) is hashed again and gets a new key; the same content elsewhere gets the same key', async () => {
    const seed = testSeed();
    const { v, file, vocabulary, next } = glove(`changed-${seed}.txt`, seed);
    const cacheDir = join(dir, `cache-${seed}`);
    const first = await embeddingMatrix({ file }, vocabulary, { cacheDir });
    const copy = join(dir, `copy-${seed}.txt`);
    writeFileSync(copy, readFileSync(file));
    const same = await embeddingMatrix({ file: copy }, vocabulary, { cacheDir });
    expect(same.cacheKey).toBe(first.cacheKey);
    expect(Buffer.from(same.values.buffer).equals(Buffer.from(first.values.buffer))).toBe(true);

    const row = vocabulary.findIndex((w, i) => i >= 2 && first.found[i]);
    const changed = { ...v, vectors: v.vectors.map((x, i) => (v.words[i] === vocabulary[row] ? randomArray(next, v.dim) : x)) };
    writeFileSync(file, writeVectors('glove', changed, next));
    const second = await embeddingMatrix({ file }, vocabulary, { cacheDir });
    expect(second.cached).toBe(false);
    expect(second.fileSha256).not.toBe(first.fileSha256);
    expect(second.cacheKey).not.toBe(first.cacheKey);
    expect([...second.values.subarray(row * v.dim, (row + 1) * v.dim)], `seed ${seed}`).not.toEqual([...first.values.subarray(row * v.dim, (row + 1) * v.dim)]);
  });

  it('the key depends on the vocabulary in order and on the format, not only on the file', async () => {
    const seed = testSeed();
    const { file, vocabulary } = glove(`order-${seed}.txt`, seed);
    const cacheDir = join(dir, `cache-${seed}`);
    const a = await embeddingMatrix({ file }, vocabulary, { cacheDir });
    const swapped = [...vocabulary.slice(0, 2), ...vocabulary.slice(2).reverse()];
    const b = await embeddingMatrix({ file }, swapped, { cacheDir });
    expect(b.cacheKey).not.toBe(a.cacheKey);
    expect(b.cached).toBe(false);
    const last = swapped.length - 1;
    expect([...b.values.subarray(last * a.dim)]).toEqual([...a.values.subarray(2 * a.dim, 3 * a.dim)]);
    const c = await embeddingMatrix({ file, format: 'glove' }, vocabulary, { cacheDir });
    expect(c.cacheKey).toBe(a.cacheKey);
    expect(readdirSync(join(cacheDir, 'embeddings')).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
  });

  it('a damaged cached matrix is ignored and rewritten', async () => {
    const seed = testSeed();
    const { file, vocabulary } = glove(`damaged-${seed}.txt`, seed);
    const cacheDir = join(dir, `cache-${seed}`);
    const first = await embeddingMatrix({ file }, vocabulary, { cacheDir });
    const bin = join(cacheDir, 'embeddings', `${first.cacheKey}.bin`);
    writeFileSync(bin, readFileSync(bin).subarray(0, 10));
    const second = await embeddingMatrix({ file }, vocabulary, { cacheDir });
    expect(second.cached).toBe(false);
    expect(Buffer.from(second.values.buffer).equals(Buffer.from(first.values.buffer))).toBe(true);
    expect((await embeddingMatrix({ file }, vocabulary, { cacheDir })).cached).toBe(true);
  });
});
