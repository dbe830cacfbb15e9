import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/results/trial-record.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

// The training loop's settings through the built binary: a schedule, validation
// every half epoch, smoothing, class weights, clipping, early stopping and a
// fine-tuning phase; the same file gives the same numbers with one worker or two.
const LOOP = `name: loop
seed: 7
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4], perClass: 40 }
    train: { epochs: 1, batchSize: 32 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 10, validation: 0.2, test: 0.2 }
transfer:
  head:
    - dense: { units: 16 }
  fineTune: { unfreeze: 2, epochs: 1, learningRate: 0.0001 }
train:
  epochs: 2
  batchSize: 8
  schedule: { name: oneCycle }
  validateEvery: { epochs: 0.5 }
  labelSmoothing: 0.1
  classWeights: balanced
  clipNorm: 1
  earlyStopping: { monitor: val_loss, patience: 3 }
grid:
  train.learningRate: [0.001, 0.003]
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-loop-'));
const tlx = (...args: string[]) => run('node', [BIN, ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
const records = (stdout: string) => readFileSync(join(dir, stdout.match(/results: (.*)/)![1]!, 'trials.jsonl'), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l) as TrialRecord);
// Everything a trial computed, without the wall-clock times.
const numbers = (r: TrialRecord) => JSON.stringify(r, (key, value: unknown) => (key === 'seconds' || key === 'finishedAt' ? undefined : value));

describe('tlx run with the training loop\'s settings (built binary)', () => {
  let first: TrialRecord[];

  beforeAll(async () => {
    writeFileSync(join(dir, 'loop.yaml'), LOOP);
    first = records((await tlx('run', 'loop.yaml', '--concurrency', '2', '--no-report')).stdout);
  }, 300_000);

  it('curves carry a point every half epoch (steps, examples, learning rate) over both phases', () => {
    expect(first).toHaveLength(2);
    for (const r of first) {
      expect(r.status).toBe('ok');
      // 50 training examples in batches of 8: 7 steps an epoch, a point after 4 and 7.
      expect(r.curve!.map((p) => [p.phase, p.steps, p.examples])).toEqual([[1, 4, 32], [1, 7, 50], [1, 11, 82], [1, 14, 100], [2, 18, 132], [2, 21, 150]]);
      expect(r.curve!.map((p) => p.epoch)).toEqual([0.64, 1, 1.64, 2, 2.64, 3]);
      // One-cycle per phase: up from the peak / 25, down to ~0 at each phase's end.
      const rates = r.curve!.map((p) => p.learningRate);
      expect(rates[0]! > rates[3]! && rates[4]! > rates[5]!).toBe(true);
      expect(r.scratch!.curve).toHaveLength(6);
      // Time-to-target is read at those points.
      const reached = r.indicators?.timeToTarget;
      expect(reached).toBeDefined();
      if (reached?.transfer) expect(r.curve!.map((p) => [p.epoch, p.steps])).toContainEqual([reached.transfer.epochs, reached.transfer.steps]);
    }
  });

  it('one worker gives the same numbers, bit for bit', async () => {
    const again = records((await tlx('run', 'loop.yaml', '--concurrency', '1', '--no-report', '--results', 'serial', '--cache', '.cache-serial')).stdout);
    expect(new Map(again.map((r) => [r.trial, numbers(r)]))).toEqual(new Map(first.map((r) => [r.trial, numbers(r)])));
  }, 300_000);
});
