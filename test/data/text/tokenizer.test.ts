import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildVocabulary, compareCodePoints, encode, encodedLengths, PAD, tokenize, type TokenizerSettings, UNKNOWN,
} from '../../../src/data/text/tokenizer.js';
import { readUciSentences, UCI_DOMAINS } from '../../../src/data/text/uci-sentences.js';
import { rng, testSeed } from '../../support/random.js';
import { TOKENIZER } from '../../support/tokenizer.js';

const lower = { lowercase: true };

describe('tokenize', () => {
  it.each([
    { name: 'accents composed or decomposed agree (NFKC), lowercased', text: 'Café ÉCOLE naïve Cafe\u0301 nai\u0308ve', tokens: ['café', 'école', 'naïve', 'café', 'naïve'] },
    { name: 'ligatures and full-width letters become plain ones', text: 'ﬁne Ｃａｆé', tokens: ['fine', 'café'] },
    { name: 'apostrophes inside words are removed (both kinds); quotes around words are tokens', text: "Don't don’t 'quoted' O'Neill", tokens: ['dont', 'dont', "'", 'quoted', "'", 'oneill'] },
    { name: 'hyphens split words; punctuation is one token per character', text: 'slow-moving 10/10!!! ...', tokens: ['slow', '-', 'moving', '10', '/', '10', '!', '!', '!', '.', '.', '.'] },
    { name: 'emoji are symbols, one per code point; joiners and variation selectors dropped', text: 'great 👍🏽! 👨\u200d👩\u200d👧 ❤\ufe0f', tokens: ['great', '👍', '🏽', '!', '👨', '👩', '👧', '❤'] },
    { name: 'Han ideographs one each; kana runs are words', text: '我喜欢这部电影 カタカナ', tokens: ['我', '喜', '欢', '这', '部', '电', '影', 'カタカナ'] },
    { name: 'locale-free lowercase: dotted İ keeps its dot as a mark, Greek final sigma, ß stays', text: 'İstanbul ΟΔΟΣ Straße', tokens: ['i\u0307stanbul', 'οδος', 'straße'] },
    { name: 'every kind of space separates; a zero-width space too; a lone mark is dropped', text: 'a\u00a0b\tc\r\nd\u200be \u0301f', tokens: ['a', 'b', 'c', 'd', 'e', 'f'] },
    { name: 'markup-like words cannot become the special entries', text: '<pad> <unk>', tokens: ['<', 'pad', '>', '<', 'unk', '>'] },
    { name: 'nothing in an empty or blank text', text: ' \n\t ', tokens: [] },
  ])('$name', ({ text, tokens }) => {
    expect(tokenize(text, lower)).toEqual(tokens);
  });

  it('the final sigma is ς (U+03C2) as Unicode maps it, not σ', () => {
    expect(tokenize('ΟΔΟΣ', lower)[0]!.codePointAt(3)).toBe(0x3c2);
  });

  it('a limit keeps the first tokens, as the whole split would give them', () => {
    const text = "It's great, isn't it? 10/10";
    expect(tokenize(text, lower, 4)).toEqual(tokenize(text, lower).slice(0, 4));
    expect(tokenize(text, lower, 4)).toEqual(['its', 'great', ',', 'isnt']);
    expect(tokenize(text, lower, 0)).toEqual([]);
  });

  it('case kept when lowercase is off (NFKC still applied)', () => {
    expect(tokenize("ÉCOLE Don't Ｆine", { lowercase: false })).toEqual(['ÉCOLE', 'Dont', 'Fine']);
  });
});

describe('buildVocabulary', () => {
  const settings: TokenizerSettings = { lowercase: true, maxTokens: 100, minCount: 1, maxLength: 8 };

  it('<pad> and <unk> first, then by count, ties in code point order; counts per id', () => {
    const v = buildVocabulary(['b a c a', 'c A b d', 'a'], settings);
    expect(v.words).toEqual(['<pad>', '<unk>', 'a', 'b', 'c', 'd']);
    expect([...v.counts]).toEqual([0, 0, 4, 2, 2, 1]);
    expect(v.words.every((w, i) => v.index.get(w) === i)).toBe(true);
  });

  it('ties in code point order, not UTF-16 order (U+FA0E before U+20000)', () => {
    expect(compareCodePoints('\ufa0e', '\u{20000}')).toBeLessThan(0);
    expect('\ufa0e' < '\u{20000}').toBe(false);
    expect(buildVocabulary(['\u{20000} \ufa0e'], settings).words.slice(2)).toEqual(['\ufa0e', '\u{20000}']);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
  });

  it('maxTokens counts <pad> and <unk>; minCount drops rare words; dropped tokens are counted at <unk>', () => {
    const texts = ['x x x y y z', 'x y w'];
    expect(buildVocabulary(texts, { ...settings, maxTokens: 3 }).words).toEqual(['<pad>', '<unk>', 'x']);
    const rare = buildVocabulary(texts, { ...settings, minCount: 2 });
    expect(rare.words).toEqual(['<pad>', '<unk>', 'x', 'y']);
    expect(rare.counts[UNKNOWN]).toBe(2);
    expect(buildVocabulary(texts, { ...settings, maxTokens: 2 }).words).toEqual(['<pad>', '<unk>']);
  });

  it('the same words and ids whatever the order of the texts', () => {
    const seed = testSeed();
    const next = rng(seed);
    const texts = readUciSentences(['yelp'], { baseDir: process.cwd(), env: {} }).texts;
    const shuffled = [...texts];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const [a, b] = [buildVocabulary(texts, TOKENIZER), buildVocabulary(shuffled, TOKENIZER)];
    expect(b.words, `seed ${seed}`).toEqual(a.words);
    expect([...b.counts], `seed ${seed}`).toEqual([...a.counts]);
  });
});

describe('encode', () => {
  const settings: TokenizerSettings = { lowercase: true, maxTokens: 100, minCount: 1, maxLength: 4 };
  const training = ['the film was good', 'the film was bad'];
  const vocabulary = buildVocabulary(training, settings);
  const id = (w: string) => vocabulary.index.get(w)!;

  it('texts x maxLength ids: padding 0 at the end, truncation keeps the first tokens, unknown words 1', () => {
    const ids = encode(['good film', 'the film was good and long', 'dreadful', ''], vocabulary, settings);
    expect(ids).toHaveLength(4 * 4);
    expect([...ids.subarray(0, 4)]).toEqual([id('good'), id('film'), PAD, PAD]);
    expect([...ids.subarray(4, 8)]).toEqual([id('the'), id('film'), id('was'), id('good')]);
    expect([...ids.subarray(8, 12)]).toEqual([UNKNOWN, PAD, PAD, PAD]);
    expect([...ids.subarray(12, 16)]).toEqual([PAD, PAD, PAD, PAD]);
    expect([...encodedLengths(ids, 4)]).toEqual([2, 4, 1, 0]);
  });

  it('no leakage: a word only in the evaluation texts is unknown, though frequent there', () => {
    const evaluation = ['superb superb superb film'];
    expect(vocabulary.index.has('superb')).toBe(false);
    expect([...encode(evaluation, vocabulary, settings)]).toEqual([UNKNOWN, UNKNOWN, UNKNOWN, id('film')]);
  });

  // Pins the tokenizer: any change in how the UCI sentences are split, counted,
  // ranked or encoded changes this digest. If the change is intended, say so in
  // the commit (it changes every text experiment's inputs) and paste the new
  // digest the failure prints.
  it('digest of the UCI sentences encoded with the default settings', () => {
    const { texts } = readUciSentences(UCI_DOMAINS, { baseDir: process.cwd(), env: {} });
    const v = buildVocabulary(texts, TOKENIZER);
    const ids = encode(texts, v, TOKENIZER);
    expect(ids).toHaveLength(3000 * 64);
    expect(v.words.slice(0, 8)).toEqual(['<pad>', '<unk>', '.', 'the', ',', 'and', 'i', 'a']);
    const digest = createHash('sha256').update(`${v.words.join('\n')}\n\n${ids.join(',')}`).digest('hex');
    expect(digest).toBe('8fb9d1bac6909d5c38599e10c78072754356e8fd9d7b59aada6c201cb800382f');
  });
});
