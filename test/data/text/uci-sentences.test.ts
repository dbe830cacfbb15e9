import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readUciSentences, UCI_DOMAINS } from '../../../src/data/text/uci-sentences.js';
import { DataError } from '../../../src/errors.js';
import { thrown } from '../../support/thrown.js';

// The real sentences: sentiment@5.0.2 is a devDependency, found beside tlx.
const places = { baseDir: process.cwd(), env: {} };

describe('readUciSentences (the real files of sentiment@5.0.2)', () => {
  it('1,000 sentences per domain, 500 per class, in domain order, the trailing empty record dropped', () => {
    const set = readUciSentences(UCI_DOMAINS, places);
    expect(set.texts).toHaveLength(3000);
    expect(set.classNames).toEqual(['negative', 'positive']);
    expect(set.classes).toBe(2);
    expect(set.domains).toHaveLength(3000);
    UCI_DOMAINS.forEach((domain, d) => {
      const at = Array.from({ length: 1000 }, (_, i) => d * 1000 + i);
      expect(at.every((i) => set.domains![i] === domain)).toBe(true);
      expect(at.filter((i) => set.labels[i] === 1)).toHaveLength(500);
    });
    expect(set.texts.every((t) => t.trim() !== '')).toBe(true);
    // The first sentence of each file, as the original corpus has it.
    expect(set.texts[0]).toBe('A very, very, very slow-moving, aimless movie about a distressed, drifting young man.  ');
    expect(set.labels[0]).toBe(0);
  });

  it('domains pooled in the order given', () => {
    const [yelpFirst, all] = [readUciSentences(['yelp', 'imdb'], places), readUciSentences(UCI_DOMAINS, places)];
    expect(yelpFirst.texts.slice(0, 1000)).toEqual(all.texts.slice(1000, 2000));
    expect(yelpFirst.texts.slice(1000)).toEqual(all.texts.slice(0, 1000));
    expect([...yelpFirst.labels.subarray(0, 1000)]).toEqual([...all.labels.subarray(1000, 2000)]);
  });

  it('a package whose file lost sentences is refused, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-uci-'));
    const root = join(dir, 'sentiment');
    mkdirSync(join(root, 'test', 'fixtures'), { recursive: true });
    cpSync(join(process.cwd(), 'node_modules', 'sentiment', 'package.json'), join(root, 'package.json'));
    writeFileSync(join(root, 'test', 'fixtures', 'imdb.json'), JSON.stringify([{ text: 'only one', class: 1 }, { text: '', class: null }]));
    const error = thrown(() => readUciSentences(['imdb'], { baseDir: dir, env: { TLX_PACKAGES: dir } }));
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe(`${join(root, 'test', 'fixtures', 'imdb.json')}: 1 sentences, 1 positive; expected 1000 sentences, 500 of each class`);
  });
});
