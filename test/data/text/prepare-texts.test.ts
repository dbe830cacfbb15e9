import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedData } from '../../../src/config/resolved.js';
import { prepareExamples, splitTexts } from '../../../src/data/load-data.js';
import { buildVocabulary, UNKNOWN } from '../../../src/data/text/tokenizer.js';
import { isTokenSet, type TokenSet } from '../../../src/data/text/token-set.js';
import { testSeed } from '../../support/random.js';
import { TOKENIZER } from '../../support/tokenizer.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-prepare-texts-'));
// Every text has its own word (w<i>), so which texts a split holds shows in its tokens.
const rows = Array.from({ length: 60 }, (_, i) => ({ text: `w${i} ${i % 3 === 0 ? 'cold' : i % 3 === 1 ? 'warm' : 'hot'} day`, label: ['cold', 'warm', 'hot'][i % 3] }));
writeFileSync(join(dir, 'days.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
const spec = { dataset: 'jsonl', path: 'days.jsonl', validation: 4, test: 5, resize: 'bilinear', skipUnreadable: false, background: 'white' } as ResolvedData;
const context = { baseDir: dir, env: {} };
const settings = { ...TOKENIZER, maxLength: 4 };

describe('texts prepared for a seed', () => {
  it('split as images are (stratified, seeded), then tokenized with the vocabulary of the training texts alone', async () => {
    const seed = testSeed();
    const split = await splitTexts(spec, seed, context);
    expect([split.train.texts.length, split.validation.texts.length, split.test.texts.length]).toEqual([33, 12, 15]);
    const vocabulary = buildVocabulary(split.train.texts, settings);
    const prepared = await prepareExamples(spec, seed, context, { vocabulary, settings });
    for (const part of ['train', 'validation', 'test'] as const) {
      const set = prepared[part];
      expect(isTokenSet(set)).toBe(true);
      const tokens = set as TokenSet;
      expect(tokens.texts, `seed ${seed}`).toEqual(split[part].texts);
      expect(Array.from(tokens.labels)).toEqual(Array.from(split[part].labels));
      expect(tokens.shape).toEqual([4]);
      // The word of each text: known in training, unknown elsewhere (it occurs nowhere else).
      tokens.texts.forEach((text, i) => {
        const own = vocabulary.index.get(text.split(' ')[0]!);
        expect(tokens.tokens[i * 4], `seed ${seed}, ${part} ${text}`).toBe(part === 'train' ? own : UNKNOWN);
        expect(tokens.tokens[i * 4 + 3]).toBe(0); // three words, then padding
      });
    }
    expect(prepared.classNames).toEqual(['cold', 'hot', 'warm']);
    // The same seed, the same split; another, another.
    expect((await splitTexts(spec, seed, context)).test.texts).toEqual(split.test.texts);
    expect((await splitTexts(spec, seed + 1, context)).test.texts).not.toEqual(split.test.texts);
  });

  it('texts are never prepared without a vocabulary', async () => {
    await expect(prepareExamples(spec, 1, context)).rejects.toThrow(/without a vocabulary/);
  });
});
