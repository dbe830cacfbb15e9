import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/errors.js';
import { tokenCoverage } from '../../../src/models/embeddings/coverage.js';
import { embeddingMatrix } from '../../../src/models/embeddings/embedding-matrix.js';
import { randomArray, randomInt, rng, testSeed } from '../../support/random.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-embeddings-lookup-'));
const line = (word: string, x: Float32Array) => `${word} ${[...x].join(' ')}\n`;
const row = (m: { values: Float32Array; dim: number }, i: number) => [...m.values.subarray(i * m.dim, (i + 1) * m.dim)];

describe('looking words up', () => {
  it('exact word first; the lowercase form where the exact one is absent; the first occurrence of a repeated word; reserved rows never', async () => {
    const seed = testSeed();
    const next = rng(seed);
    const dim = randomInt(next, 2, 8);
    const [paris, Berlin, berlin, first, second, pad] = Array.from({ length: 6 }, () => randomArray(next, dim));
    const file = join(dir, `case-${seed}.vec`);
    const lines = [line('paris', paris!), line('berlin', berlin!), line('Berlin', Berlin!), line('twice', first!), line('twice', second!), line('<pad>', pad!)];
    writeFileSync(file, `${lines.length} ${dim}\n${lines.join('')}`);
    const vocabulary = ['<pad>', '<unk>', 'Paris', 'PARIS', 'Berlin', 'twice', 'London', 'paris'];
    const m = await embeddingMatrix({ file }, vocabulary, { cacheDir: join(dir, 'cache') });
    expect([...m.found]).toEqual([0, 0, 1, 1, 1, 1, 0, 1]);
    expect(row(m, 0)).toEqual(new Array(dim).fill(0)); // '<pad>' is in the file, but row 0 is reserved
    expect(row(m, 2)).toEqual([...paris!]);
    expect(row(m, 3)).toEqual([...paris!]);
    expect(row(m, 4)).toEqual([...Berlin!]); // its own vector, not 'berlin''s
    expect(row(m, 5)).toEqual([...first!]);
    expect(row(m, 6)).toEqual(new Array(dim).fill(0));
    expect(row(m, 7)).toEqual([...paris!]);
    expect(m.fileWords).toBe(6);
  });

  it('`reserved` sets how many leading rows are never looked up', async () => {
    const file = join(dir, 'reserved.txt');
    writeFileSync(file, 'a 1 2\nb 3 4\n');
    const m = await embeddingMatrix({ file }, ['a', 'b'], { cacheDir: join(dir, 'cache'), reserved: 0 });
    expect([...m.found]).toEqual([1, 1]);
    expect([...m.values]).toEqual([1, 2, 3, 4]);
    const n = await embeddingMatrix({ file }, ['a', 'b'], { cacheDir: join(dir, 'cache') });
    expect([...n.found]).toEqual([0, 0]);
    expect(n.cacheKey).not.toBe(m.cacheKey);
  });
});

describe('tokenCoverage', () => {
  it('the share of tokens whose word was found, against a direct count', () => {
    const seed = testSeed();
    const next = rng(seed);
    const n = randomInt(next, 3, 50);
    const found = Uint8Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0));
    const counts = Array.from({ length: n }, () => randomInt(next, 0, 100));
    counts[0] = 1; // never all zero
    let hits = 0;
    let all = 0;
    found.forEach((f, i) => {
      all += counts[i]!;
      if (f === 1) hits += counts[i]!;
    });
    expect(tokenCoverage(found, counts), `seed ${seed}`).toBe(hits / all);
    expect(tokenCoverage(Uint8Array.of(1, 0, 1), [2, 6, 0])).toBe(0.25);
    expect(tokenCoverage(Uint8Array.of(1, 1), [0, 0])).toBeNaN();
    expect(() => tokenCoverage(Uint8Array.of(1), [1, 2])).toThrow(InternalError);
  });
});
