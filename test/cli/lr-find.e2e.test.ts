import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/results/trial-record.js';
import type { LrFindOutcome } from '../../src/execute/lr-find.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

// A head on a small pretrained LeNet-5 with Adam: learnable in two epochs at a
// good learning rate, nothing learned at a far too high one.
const TINY = `name: tiny
seed: 7
source:
  pretrain:
    architecture: lenet5
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4], perClass: 40 }
    train: { epochs: 1, batchSize: 32 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 20, validation: 0.1, test: 0.1 }
transfer:
  head:
    - dense: { units: 16 }
indicators: { scratch: false }
train: { epochs: 2, batchSize: 16, optimizer: adam }
`;

const root = mkdtempSync(join(tmpdir(), 'tlx-lr-find-'));
const tlx = (cwd: string, ...args: string[]) => run('node', [BIN, ...args], { cwd, env: { ...process.env, TLX_BACKEND: 'wasm' } });

describe('tlx lr-find (built binary, tiny experiment)', () => {
  let out: string;
  let sweep: LrFindOutcome;

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    writeFileSync(join(root, 'tiny.yaml'), TINY);
    out = (await tlx(root, 'lr-find', 'tiny.yaml', '--steps', '100')).stdout;
    sweep = JSON.parse(readFileSync(join(root, 'results/tiny/lr-find/lr-find.json'), 'utf8')) as LrFindOutcome;
  }, 300_000);

  it('prints a chart and the suggestion with its rule, and writes the sweep as JSON and SVG', () => {
    expect(out).toMatch(/^lr-find: trial [0-9a-f]{16}-r0 \{\}, adam, batch 16; \d+ of 100 steps from 1\.0e-7 to /);
    expect(out).toMatch(/\nsuggested learning rate: [0-9.e-]+ \((steepest descent of the smoothed loss|the minimum's learning rate \/ 10)/);
    expect(out.split('\n').filter((l) => l.includes('*')).length).toBeGreaterThan(5);
    expect(readFileSync(join(root, 'results/tiny/lr-find/lr-find.svg'), 'utf8')).toMatch(/^<svg/);
    expect(sweep.points.length).toBeGreaterThan(20);
    expect(sweep.points[0]!.learningRate).toBeCloseTo(1e-7, 12);
  });

  it('suggests a rate between the bounds that trains better than one 1000x above it', async () => {
    const { learningRate } = sweep.suggestion;
    expect(learningRate).toBeGreaterThan(sweep.min);
    expect(learningRate).toBeLessThan(sweep.max);
    const trained = async (rate: number) => {
      const { stdout } = await tlx(root, 'run', 'tiny.yaml', '--set', `train.learningRate=${rate}`, '--no-report');
      const runDir = join(root, stdout.match(/results: (.*)/)![1]!);
      return JSON.parse(readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim()) as TrialRecord;
    };
    const [good, bad] = [await trained(learningRate), await trained(learningRate * 1000)];
    expect(good.status).toBe('ok');
    const lastLoss = (r: TrialRecord) => r.curve![r.curve!.length - 1]!.loss;
    expect(bad.status === 'diverged' || lastLoss(bad) > lastLoss(good), `${lastLoss(good)} at ${learningRate}, ${lastLoss(bad)} at 1000x`).toBe(true);
    expect(good.test!.accuracy!, `test accuracy at ${learningRate} against 1000x`).toBeGreaterThan(bad.test?.accuracy ?? 0);
  }, 300_000);
});

// Bad input: exit 2, one message, no stack, nothing written.
describe('tlx lr-find refuses bad input', () => {
  it.each([
    { name: 'no file', args: [], message: 'tlx: missing the experiment file' },
    { name: 'a missing file', args: ['nope.yaml'], message: "tlx: cannot read 'nope.yaml': ENOENT" },
    { name: '--steps 0', args: ['tiny.yaml', '--steps', '0'], message: "tlx: --steps must be a positive integer: '0'" },
    { name: '--steps 3', args: ['tiny.yaml', '--steps', '3'], message: "tlx: --steps must be at least 5: '3'" },
    { name: '--min 0', args: ['tiny.yaml', '--min', '0'], message: "tlx: --min must be a number above 0: '0'" },
    { name: '--max not a number', args: ['tiny.yaml', '--max', 'ten'], message: "tlx: --max must be a number above 0: 'ten'" },
    { name: '--min above --max', args: ['tiny.yaml', '--min', '1', '--max', '0.1'], message: 'tlx: --min (1) must be below --max (0.1)' },
    { name: '--out is a file', args: ['tiny.yaml', '--out', 'tiny.yaml'], message: "tlx: --out 'tiny.yaml': is a file, expected a folder" },
    { name: 'an unknown option', args: ['tiny.yaml', '--rate', '1'], message: /^tlx: Unknown option '--rate'/ },
    { name: 'a bad --set', args: ['tiny.yaml', '--set', 'transfer.l2sp.alpha=-1'], message: '--set transfer.l2sp.alpha=-1: transfer.l2sp.alpha: must be >= 0 (got -1)' },
  ] as { name: string; args: string[]; message: string | RegExp }[])('$name', async ({ args, message }) => {
    const dir = mkdtempSync(join(root, 'refused-'));
    writeFileSync(join(dir, 'tiny.yaml'), TINY);
    const error = await tlx(dir, 'lr-find', ...args).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(error?.code).toBe(2);
    const first = error!.stderr.split('\n')[0]!;
    if (typeof message === 'string') expect(first).toBe(message);
    else expect(first).toMatch(message);
    expect(error!.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).toEqual(['tiny.yaml']);
  }, 60_000);
});
