import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/results/manifest.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

// Two tiny real runs through the built binary. One cannot learn: every model
// (source, transferred, scratch) trains at a learning rate of 1e-9, so it ends
// where its seeded random weights put it. The other learns with the defaults.
const experiment = (name: string, learningRate: string, repeats: number, perClass: [number, number]) => `name: ${name}
seed: 3
repeats: ${repeats}
source:
  pretrain:
    architecture: lenet5
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4], perClass: ${perClass[0]}, test: 0.05 }
    train: { epochs: 2, batchSize: 32${learningRate} }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: ${perClass[1]}, validation: 0.02, test: 0.05 }
transfer:
  freeze: none
  head:
    - dense: { units: 32 }
train: { epochs: 2, batchSize: 16${learningRate} }
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-chance-'));
const tlx = (...args: string[]) => run('node', [BIN, ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
const runDirOf = (stdout: string) => join(dir, stdout.match(/results: (.*)/)![1]!);
const manifestOf = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as Manifest;
const csvRow = (runDir: string) => {
  const [header, row] = readFileSync(join(runDir, 'summary.csv'), 'utf8').trim().split('\n');
  return Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
};

describe('a run says when nothing was learned (built binary, real tiny runs)', () => {
  let still: { stdout: string; runDir: string };
  let learns: { stdout: string; runDir: string };

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    writeFileSync(join(dir, 'still.yaml'), experiment('still', ', learningRate: 1.0e-9', 3, [40, 10]));
    writeFileSync(join(dir, 'learns.yaml'), experiment('learns', '', 2, [200, 40]));
    const a = await tlx('run', 'still.yaml', '--concurrency', '2');
    still = { stdout: a.stdout, runDir: runDirOf(a.stdout) };
    const b = await tlx('run', 'learns.yaml', '--concurrency', '2');
    learns = { stdout: b.stdout, runDir: runDirOf(b.stdout) };
  }, 240_000);

  it('nothing learned: the CLI says so for the source and for final and scratch, with the numbers', () => {
    const { stdout } = still;
    expect(stdout).toMatch(/^\(no grid\) +3 .* nothing learned /m);
    expect(stdout).toMatch(/^source pretrain-[0-9a-f]+: test accuracy 0\.\d{3}, macroF1 0\.\d{3} after 2 epochs \(at chance: it learned nothing\)$/m);
    expect(stdout).toContain('At chance: the test accuracy is not significantly above the majority-class rate (one-sided exact binomial test, p >= 0.05');
    expect(stdout).toMatch(/^ {2}source pretrain-[0-9a-f]+ learned nothing: test accuracy 0\.\d{3} \(\d+\/\d+; chance 0\.\d{3}, p = /m);
    expect(stdout).toMatch(/^ {2}\(no grid\): at chance: final 0\.\d{3} \(\d+\/\d+; chance 0\.\d{3}, p = [\d.]+, 3 repeats pooled\); scratch /m);
  });

  it('nothing learned: the manifest holds the source\'s curve, confusion matrix and chance test; summary and report say it', () => {
    const source = manifestOf(still.runDir).sources![0]!;
    expect(source.curve).toHaveLength(2);
    expect(source.chance!.atChance).toBe(true);
    expect(source.chance!.n).toBe(source.confusion!.flat().reduce((a, b) => a + b, 0));
    expect(source.chance!.correct / source.chance!.n).toBeCloseTo(source.test.accuracy!, 12);
    const cells = csvRow(still.runDir);
    expect([cells.accuracy_verdict, cells.final_at_chance, cells.scratch_at_chance, cells.source_at_chance]).toEqual(['nothing learned', 'true', 'true', 'true']);
    const md = readFileSync(join(still.runDir, 'summary.md'), 'utf8');
    expect(md).toContain('## At chance');
    expect(md).toMatch(/\| pretrain-[0-9a-f]+ \| 2 \| accuracy .* \| yes \|/);
    const html = readFileSync(join(still.runDir, 'report.html'), 'utf8');
    expect(html).toContain('id="at-chance"');
    expect(html).toContain('<span class="verdict chance">nothing learned</span>');
    expect(html).toContain('<section id="source"><h2>Source model</h2>');
  });

  it('a run that learns: its source scores listed, nothing called at chance', () => {
    const { stdout, runDir } = learns;
    expect(stdout).toMatch(/^source pretrain-[0-9a-f]+: test accuracy 0\.\d{3}, macroF1 0\.\d{3} after 2 epochs$/m);
    expect(stdout).not.toContain('at chance');
    const source = manifestOf(runDir).sources![0]!;
    expect(source.test.accuracy).toBeGreaterThan(0.8);
    expect(source.chance).toMatchObject({ atChance: false });
    expect(source.chance!.p).toBeLessThan(1e-6);
    const cells = csvRow(runDir);
    expect(['positive', 'negative', 'inconclusive']).toContain(cells.accuracy_verdict);
    expect([cells.final_at_chance, cells.scratch_at_chance, cells.source_at_chance]).toEqual(['false', 'false', 'false']);
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).not.toContain('## At chance');
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).not.toContain('id="at-chance"');
  });

  it('a source cached by an older tlx (no curve or confusion in meta.json): scores listed, chance not tested', async () => {
    const key = manifestOf(learns.runDir).sources![0]!.key;
    const meta = join(dir, '.tlx-cache', (await run('find', ['.tlx-cache', '-path', `*${key}/meta.json`], { cwd: dir })).stdout.trim().replace(/^\.tlx-cache\//, ''));
    const { curve: _curve, confusion: _confusion, ...old } = JSON.parse(readFileSync(meta, 'utf8')) as Record<string, unknown>;
    writeFileSync(meta, JSON.stringify(old));
    const again = await tlx('run', 'learns.yaml', '--fresh', '--no-report');
    expect(again.stdout).toMatch(new RegExp(`^source ${key}: test accuracy 0\\.\\d{3}, macroF1 0\\.\\d{3}$`, 'm'));
    expect(manifestOf(runDirOf(again.stdout)).sources![0]!.chance).toBeNull();
    expect(readFileSync(join(runDirOf(again.stdout), 'summary.md'), 'utf8')).toContain('| not tested (cached by an older tlx: no confusion matrix) | - |');
  }, 120_000);
});
