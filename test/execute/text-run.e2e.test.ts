import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/results/manifest.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { seededRandom } from '../../src/random.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

// Real tiny text runs through the built binary, on files the test writes: reviews
// in a JSON-lines table whose label is carried by a few sentiment words, and GloVe
// vectors (text format, 8 dimensions) that put the positive words on one side of
// the space and the negative ones on the other. One word of the reviews has no
// vector. Fixed seeds: the data is the same every run, so the run's numbers are
// compared with what that data implies, not with chance alone.

const POSITIVE = ['great', 'good', 'excellent', 'love', 'wonderful'];
const NEGATIVE = ['awful', 'bad', 'terrible', 'hate', 'poor'];
const NEUTRAL = ['the', 'movie', 'food', 'phone', 'it', 'was', 'service', 'really', 'very', 'quite', 'and', 'this'];
const MISSING = 'zqxv'; // in the reviews, not in the vectors
const DIM = 8;

function reviews(count: number, seed: number): { review: string; sentiment: string }[] {
  const random = seededRandom(seed);
  const pick = (words: readonly string[]) => words[Math.floor(random() * words.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const positive = i % 2 === 0;
    const words = Array.from({ length: 4 + Math.floor(random() * 5) }, () => pick(NEUTRAL));
    words.splice(Math.floor(random() * words.length), 0, pick(positive ? POSITIVE : NEGATIVE));
    if (random() < 0.5) words.push(MISSING);
    return { review: `${words.join(' ')}${random() < 0.5 ? '!' : '.'}`, sentiment: positive ? 'pos' : 'neg' };
  });
}

function vectors(seed: number): string {
  const random = seededRandom(seed);
  const noise = () => (random() * 2 - 1) * 0.2;
  const line = (word: string, direction: number) =>
    `${word} ${Array.from({ length: DIM }, (_, k) => ((k === 0 ? direction : 0) + noise()).toFixed(5)).join(' ')}`;
  return [...POSITIVE.map((w) => line(w, 1)), ...NEGATIVE.map((w) => line(w, -1)), ...[...NEUTRAL, '!', '.', 'unused'].map((w) => line(w, 0))].join('\n');
}

const experiment = (name: string) => `name: ${name}
seed: 5
repeats: 2
source:
  embeddings: { file: vectors.txt }
  cut: embedding
  input:
    text: { maxLength: 12 }
target:
  data: { dataset: jsonl, path: reviews.jsonl, text: review, label: sentiment, validation: 0.15, test: 0.25 }
transfer:
  freeze: all
  head:
    - meanPool: {}
train: { epochs: 6, batchSize: 16, optimizer: adam, learningRate: 0.03 }
grid:
  transfer.freeze: [all, none]
metrics: [accuracy]
indicators:
  transferOnly: { probe: linear }
  scratch: true
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-text-'));
const tlx = (...args: string[]) => run('node', [BIN, ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
const lines = reviews(160, 11);

describe('a text experiment from word vectors (built binary, files the test writes)', () => {
  let stdout: string;
  let runDir: string;
  let manifest: Manifest;
  let records: TrialRecord[];

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    writeFileSync(join(dir, 'reviews.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    writeFileSync(join(dir, 'vectors.txt'), `${vectors(3)}\n`);
    writeFileSync(join(dir, 'reviews.yaml'), experiment('reviews'));
    ({ stdout } = await tlx('run', 'reviews.yaml', '--concurrency', '2'));
    runDir = join(dir, stdout.match(/results: (.*)/)![1]!);
    manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
    records = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
  }, 240_000);

  it('runs every trial, with a probe, a scratch baseline and the indicators', () => {
    expect(records).toHaveLength(4);
    for (const r of records) {
      expect(r.status, r.error?.message).toBe('ok');
      expect(r.frozen).toEqual(r.point['transfer.freeze'] === 'all' ? ['embedding'] : []);
      expect(r.indicators?.finalVsScratch?.scratch).toBeGreaterThan(0);
    }
  });

  it('the vectors carry the labels: the probe on the mean word vector and the frozen model are far above chance', () => {
    for (const r of records) {
      // The first coordinate of the mean vector says the label: a linear probe
      // separates it all but perfectly; frozen, the softmax on it learns it too.
      expect(r.indicators!.transferOnly!.test.accuracy).toBeGreaterThan(0.9);
      if (r.point['transfer.freeze'] === 'all') expect(r.test!.accuracy).toBeGreaterThan(0.85);
    }
  });

  it('records per seed the vectors used and their coverage: every word but one has a vector', () => {
    const built = manifest.embeddings!;
    expect(built.map((b) => b.seed).sort()).toEqual([5, 6]);
    const vocabulary = new Set(lines.flatMap((l) => l.review.replace(/([!.])$/, ' $1').split(' ')));
    for (const { embeddings: e } of built) {
      expect(e).toMatchObject({ format: 'glove', dim: DIM, fileWords: POSITIVE.length + NEGATIVE.length + NEUTRAL.length + 3 });
      // The training split's words (nearly all of the reviews' few words), padding and unknown; all but 'zqxv' found.
      expect(e.vocabulary).toBeLessThanOrEqual(vocabulary.size + 2);
      expect(e.found).toBe(e.vocabulary - 3);
      // About one review in two ends with the missing word: some 5-12% of the tokens.
      expect(e.coverage).toBeGreaterThan(0.85);
      expect(e.coverage).toBeLessThan(0.97);
    }
  });

  it('exports a model with its vocabulary that tlx predict reads texts with', async () => {
    const model = join(dir, stdout.match(/model: (.*)/)![1]!);
    expect(existsSync(join(model, 'vocabulary.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(model, 'preprocessing.json'), 'utf8'))).toEqual({ text: { lowercase: true, maxTokens: 20000, minCount: 1, maxLength: 12 } });
    const { stdout: out } = await tlx('predict', model, 'The food was EXCELLENT and wonderful', 'terrible, awful phone', '--top', '1');
    expect(out.trim().split('\n')).toEqual([
      expect.stringMatching(/^"The food was EXCELLENT and wonderful": pos \d+\.\d%$/),
      expect.stringMatching(/^"terrible, awful phone": neg \d+\.\d%$/),
    ]);
  });

  it('keeps misclassified test reviews as their texts, and the report shows them and the coverage', () => {
    const texts = new Set(lines.map((l) => l.review));
    const mistakes = records.flatMap((r) => r.misclassified ?? []);
    for (const m of mistakes) {
      expect(texts.has(m.example)).toBe(true);
      expect(m.label).not.toBe(m.predicted);
    }
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('id="embeddings-table"');
    if (mistakes.length > 0) expect(html).toContain('id="mistakes-table"');
  });

  it('a rerun reads every source and task from the cache and runs nothing', async () => {
    const { stdout: again } = await tlx('run', 'reviews.yaml');
    expect(again).toContain('0 trials run, 4 already done');
  });
});
