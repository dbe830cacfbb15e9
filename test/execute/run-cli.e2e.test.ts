import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { loadMnist } from '../../src/data/images/mnist.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { expectConsistentTrial } from '../support/trial-checks.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

// A tiny experiment through the built binary, as a user runs it: few examples,
// one or two epochs, two workers, then again with one.
const TINY = `# yaml-language-server: $schema=../schemas/experiment.schema.json
name: tiny
seed: 7
repeats: 2
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4], perClass: 40 }
    train: { epochs: 1, batchSize: 32 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 10, validation: 0.05, test: 0.05 }
transfer:
  head:
    - dense: { units: 16 }
    - dropout: { rate: 0.2 }
train: { epochs: 2, batchSize: 16 }
grid:
  transfer.freeze: [all, none]
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-run-'));
const tlx = (...args: string[]) => run('node', [BIN, ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const lines = (runDir: string) => readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);

describe('tlx run (built binary, tiny experiment)', () => {
  let first: { stdout: string; stderr: string };
  let runDir: string;

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    writeFileSync(join(dir, 'tiny.yaml'), TINY);
    first = await tlx('run', 'tiny.yaml', '--concurrency', '2');
    runDir = join(dir, first.stdout.match(/results: (.*)/)![1]!);
  }, 300_000);

  it('writes manifest, a line per trial with the three indicators, and the summary', () => {
    expect(first.stdout).toContain('4 trials run, 0 already done, 0 failed; backend wasm');
    const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'tiny', status: 'finished', environment: { backend: { name: 'wasm' } }, trials: 4, concurrency: 2 });
    expect(manifest.environment.cpu.cores).toBeGreaterThan(0);
    expect(manifest.seeds).toEqual([manifest.config.seed, manifest.config.seed + 1]);
    const records = lines(runDir);
    expect(records.map((r) => r.trial).sort()).toHaveLength(4);
    const testSize = sum(records[0]!.confusion!.flat());
    expect(testSize).toBeGreaterThan(0);
    for (const r of records) {
      expect(r.status).toBe('ok');
      expect(r.curve).toHaveLength(2);
      expect(r.curve![1]!.examples).toBe(100);
      expectConsistentTrial(r, testSize);
    }
    // Trials of one seed share the probe and the scratch baseline whatever their freezing.
    for (const seed of new Set(records.map((r) => r.seed))) {
      const same = records.filter((r) => r.seed === seed);
      expect(same).toHaveLength(2);
      expect(same[0]!.indicators!.transferOnly).toEqual(same[1]!.indicators!.transferOnly);
      expect(same[0]!.scratch).toEqual(same[1]!.scratch);
    }
    expect(records.find((r) => r.point['transfer.freeze'] === 'all')!.frozen).toEqual(['conv1', 'conv2', 'pool', 'dropout1', 'flatten']);
    expect(records.find((r) => r.point['transfer.freeze'] === 'none')!.frozen).toEqual([]);
    // Frozen layers up to the pool are cached; the dropout after it must run per batch.
    expect(records.find((r) => r.point['transfer.freeze'] === 'all')!.featureCache).toEqual([{ boundary: 'pool', mib: expect.any(Number) }]);
    expect(records.find((r) => r.point['transfer.freeze'] === 'none')!.featureCache).toEqual([{ off: 'no frozen layer comes first' }]);
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).toContain('| grid point |');
    expect(readFileSync(join(runDir, 'summary.csv'), 'utf8').split('\n')[0]).toContain('difference_mean');
    expect(first.stdout).toContain(`report: ${join(first.stdout.match(/results: (.*)/)![1]!, 'report.html')}`);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('<h1>tiny</h1>');
  });

  it('exports the best trial\'s model, which tlx predict uses on a real digit', async () => {
    const model = first.stdout.match(/model: (.*)/)![1]!;
    expect(readdirSync(join(dir, model, '..'))).toHaveLength(1);
    const exported = lines(runDir).find((r) => model.endsWith(r.trial))!;
    expect(exported.test!.accuracy).toBe(Math.max(...lines(runDir).map((r) => r.test!.accuracy!)));
    const digits = loadMnist();
    const seven = [...digits.labels.keys()].find((i) => digits.labels[i] === 7)!;
    await sharp(Buffer.from(digits.pixels.subarray(seven * 784, (seven + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(dir, 'seven.png'));
    const out = await tlx('predict', model, 'seven.png', '--top', '2');
    expect(out.stdout).toMatch(/^seven\.png: [5-9] \d+\.\d%, [5-9] \d+\.\d%\n$/);
  }, 120_000);

  it('running again trains nothing', async () => {
    const again = await tlx('run', 'tiny.yaml', '--no-report');
    expect(again.stdout).toContain('0 trials run, 4 already done, 0 failed');
    expect(again.stdout).not.toContain('report:');
    expect(lines(runDir)).toHaveLength(4);
  }, 120_000);

  it('one worker gives the same numbers as two (seeded, order-independent)', async () => {
    const other = await tlx('run', 'tiny.yaml', '--concurrency', '1', '--results', 'results-serial', '--cache', '.cache-serial');
    const serialDir = join(dir, other.stdout.match(/results: (.*)/)![1]!);
    const key = (r: TrialRecord) => JSON.stringify({ test: r.test, curve: r.curve?.map((p) => [p.loss, p.val]), scratch: r.scratch?.test, probe: r.indicators?.transferOnly });
    const a = new Map(lines(runDir).map((r) => [r.trial, key(r)]));
    const b = new Map(lines(serialDir).map((r) => [r.trial, key(r)]));
    expect(b).toEqual(a);
  }, 300_000);

  it('an RGB image folder as target is read at the source model\'s input size', async () => {
    const digits = loadMnist();
    for (const digit of [1, 2]) {
      const folder = join(dir, 'photos', `class-${digit}`);
      mkdirSync(folder, { recursive: true });
      const indices = [...digits.labels.keys()].filter((i) => digits.labels[i] === digit).slice(0, 12);
      await Promise.all(indices.map((i, k) => sharp(Buffer.from(digits.pixels.subarray(i * 784, (i + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } })
        .resize(36, 40).toColourspace('srgb').png().toFile(join(folder, `${k}.png`))));
    }
    writeFileSync(join(dir, 'folder.yaml'), TINY.replace('name: tiny', 'name: folder')
      .replace('data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 10, validation: 0.05, test: 0.05 }', 'data: { dataset: imagefolder, path: photos, validation: 0.2, test: 0.2 }'));
    const out = await tlx('run', 'folder.yaml', '--concurrency', '1');
    expect(out.stdout).toContain('4 trials run, 0 already done, 0 failed');
    const records = lines(join(dir, out.stdout.match(/results: (.*)/)![1]!));
    expect(records.every((r) => r.status === 'ok')).toBe(true);
    expect(records[0]!.confusion).toHaveLength(2);
  }, 300_000);

  it('a TensorFlow.js model on disk as the source (here the one the first run pretrained)', async () => {
    // Pretrained sources are cached per backend package and version.
    const [backend] = readdirSync(join(dir, '.tlx-cache', 'pretrain'));
    expect(backend).toMatch(/^tfjs-backend-wasm@\d/);
    const cached = readdirSync(join(dir, '.tlx-cache', 'pretrain', backend!)).find((d) => d.startsWith('pretrain-'))!;
    const modelJson = join('.tlx-cache', 'pretrain', backend!, cached, 'model.json');
    const inspected = await tlx('inspect', modelJson);
    expect(inspected.stdout).toMatch(/\n +4 +flatten +Flatten +\[N,4608\] +0 +yes\n/);
    writeFileSync(join(dir, 'from-model.yaml'), TINY.replace('name: tiny', 'name: from-model')
      .replace(/source:\n {2}pretrain:\n.*\n.*\n.*\n/, `source:\n  model: ${modelJson}\n`));
    const out = await tlx('run', 'from-model.yaml', '--concurrency', '1');
    expect(out.stdout).toContain('4 trials run, 0 already done, 0 failed');
    const records = lines(join(dir, out.stdout.match(/results: (.*)/)![1]!));
    expect(records.find((r) => r.point['transfer.freeze'] === 'all')!.frozen).toEqual(['conv1', 'conv2', 'pool', 'dropout1', 'flatten']);
    // Same source weights as the pretrained run: the frozen-feature probe agrees exactly.
    const pretrainedRun = lines(runDir);
    const probes = (rs: TrialRecord[]) => rs.map((r) => JSON.stringify(r.indicators?.transferOnly)).sort();
    expect(probes(records)).toEqual(probes(pretrainedRun));
  }, 300_000);

  it('a two-phase fine-tune: head on the frozen base, then the top unfrozen at a lower rate', async () => {
    writeFileSync(join(dir, 'phases.yaml'), TINY.replace('name: tiny', 'name: phases').replace('repeats: 2', 'repeats: 1')
      .replace('grid:\n  transfer.freeze: [all, none]\n', '')
      .replace('    - dropout: { rate: 0.2 }\n', '    - dropout: { rate: 0.2 }\n  fineTune: { unfreeze: 4, epochs: 1, learningRate: 0.0001 }\n'));
    const out = await tlx('run', 'phases.yaml', '--concurrency', '1');
    const [record] = lines(join(dir, out.stdout.match(/results: (.*)/)![1]!));
    expect(record!.curve!.map((p) => [p.epoch, p.phase])).toEqual([[1, 1], [2, 1], [3, 2]]);
    expect(record!.unfrozen).toEqual(['conv2', 'pool', 'dropout1', 'flatten']);
    // Same budget for the baseline: 3 epochs.
    expect(record!.scratch!.curve).toHaveLength(3);
    expect(record!.curve![2]!.seconds).toBeGreaterThan(record!.curve![1]!.seconds);
  }, 300_000);

  it('a truncated IDX file: exit 2, the file named, nothing written', async () => {
    const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 100, 0, 0, 0, 28, 0, 0, 0, 28]);
    writeFileSync(join(dir, 'cut-images.idx'), Buffer.concat([header, Buffer.alloc(5000)]));
    writeFileSync(join(dir, 'cut-labels.idx'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 100, ...new Array<number>(100).fill(1)]));
    writeFileSync(join(dir, 'cut.yaml'), TINY.replace('name: tiny', 'name: cut')
      .replace('data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 10, validation: 0.05, test: 0.05 }', 'data: { dataset: idx, images: cut-images.idx, labels: cut-labels.idx }'));
    const error = await tlx('run', 'cut.yaml').catch((e: { code: number; stderr: string }) => e) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/cut-images\.idx: IDX data is truncated: header \[100, 28, 28\] needs 78400 bytes, the file has 5000/);
    expect(error.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'results', 'cut'))).toBe(false);
  }, 120_000);

  it('bad input: exit 2, file:line:col, nothing written to results', async () => {
    writeFileSync(join(dir, 'bad.yaml'), TINY.replace('cut: flatten', 'cut: flaten').replace('name: tiny', 'name: bad'));
    const error = await tlx('run', 'bad.yaml').catch((e: { code: number; stderr: string }) => e);
    expect((error as { code: number }).code).toBe(2);
    expect((error as { stderr: string }).stderr).toContain("bad.yaml:10:8: source.cut: unknown layer 'flaten'");
    expect(existsSync(join(dir, 'results', 'bad'))).toBe(false);
  });
});
