import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../src/engine/quiet.js';
import { saveModel } from '../../src/models/model-files.js';
import type { TrialRecord } from '../../src/results/trial-record.js';

// Tiny runs through the built binary: what a cached task is keyed by (the model's
// content), what a cache entry that cannot be read does (recomputed), and what a
// run refuses (trials of two backends in one trials.jsonl).

const exec = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');
const WASM_VERSION = (JSON.parse(readFileSync('node_modules/@tensorflow/tfjs-backend-wasm/package.json', 'utf8')) as { version: string }).version;
const WASM = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: WASM_VERSION };

const FROM_MODEL = `name: from-model
seed: 5
source: { model: net/model.json, cut: flatten }
target:
  data: { dataset: mnist, classes: [5, 6, 7], perClass: 10, validation: 0.1, test: 0.1 }
transfer:
  head: [{ dense: { units: 8 } }]
train: { epochs: 1, batchSize: 16 }
grid:
  transfer.freeze: [all, none]
run: { concurrency: 1 }
`;

const PRETRAINED = `name: pretrained
seed: 5
source:
  pretrain:
    architecture: lenet5
    data: { dataset: mnist, classes: [0, 1, 2], perClass: 20 }
    train: { epochs: 1, batchSize: 32 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7], perClass: 10, validation: 0.1, test: 0.1 }
transfer:
  head: [{ dense: { units: 8 } }]
train: { epochs: 1, batchSize: 16 }
run: { concurrency: 1 }
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-cache-identity-'));
const tasksDir = join(dir, '.tlx-cache', 'tasks', `tfjs-backend-wasm@${WASM_VERSION}`);

async function tlx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [BIN, ...args], { cwd: dir, env: { ...process.env, TLX_BACKEND: 'wasm' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const error = e as { code: number; stdout: string; stderr: string };
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}
const runDirOf = (out: { stdout: string }) => join(dir, out.stdout.match(/results: (.*)/)![1]!);
const records = (runDir: string) => readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
const cached = (prefix: string) => (existsSync(tasksDir) ? readdirSync(tasksDir).filter((f) => f.startsWith(prefix) && f.endsWith('.json')).sort() : []);

describe('cache identity (built binary, tiny runs)', () => {
  let runDir: string;

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    await tf.setBackend('cpu');
    const model = tfl.sequential({ layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv1' }),
      tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      tfl.layers.flatten({ name: 'flatten' }),
      tfl.layers.dense({ units: 10, activation: 'softmax', name: 'out' }),
    ] });
    await saveModel(model, join(dir, 'net'), {});
    model.dispose();
    writeFileSync(join(dir, 'from-model.yaml'), FROM_MODEL);
    writeFileSync(join(dir, 'pretrained.yaml'), PRETRAINED);
    const first = await tlx('run', 'from-model.yaml', '--no-report');
    expect(first.code, first.stderr).toBe(0);
    runDir = runDirOf(first);
  }, 300_000);

  it('every trial records the backend, package and version that computed it; tasks are cached under them', () => {
    expect(records(runDir).map((r) => r.backend)).toEqual([WASM, WASM]);
    expect(records(runDir).map((r) => r.source)).toEqual([expect.stringMatching(/^model-[0-9a-f]{16}$/), records(runDir)[0]!.source]);
    expect([cached('probe-').length, cached('scratch-').length]).toEqual([1, 1]);
  });

  it('resuming with another backend: exit 2, how to keep the runs apart, nothing appended', async () => {
    const trials = join(runDir, 'trials.jsonl');
    const [kept] = readFileSync(trials, 'utf8').trim().split('\n');
    writeFileSync(trials, `${kept}\n`);
    const other = await tlx('run', 'from-model.yaml', '--no-report', '--backend', 'cpu');
    expect(other.code).toBe(2);
    expect(other.stderr.split('\n')[0]).toMatch(
      new RegExp(`^tlx: .* holds trials computed with backend wasm \\(@tensorflow/tfjs-backend-wasm ${WASM_VERSION}\\); this run would use cpu \\(@tensorflow/tfjs-backend-cpu .*\\), and one run's numbers must come from one backend$`));
    expect(other.stderr).toContain('--fresh');
    expect(other.stderr).toContain('--results OTHER_DIR');
    expect(other.stderr).toContain('--set run.backend=cpu');
    expect(readFileSync(trials, 'utf8')).toBe(`${kept}\n`);
    const same = await tlx('run', 'from-model.yaml', '--no-report', '--backend', 'wasm');
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('1 trials run, 1 already done, 0 failed');
  }, 300_000);

  it('a truncated cached task result is computed again, with a note, and the run succeeds', async () => {
    const [probe] = cached('probe-');
    const whole = readFileSync(join(tasksDir, probe!), 'utf8');
    writeFileSync(join(tasksDir, probe!), whole.slice(0, whole.length / 2));
    const again = await tlx('run', 'from-model.yaml', '--no-report', '--fresh');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`tlx: the cached result of ${probe!.replace('.json', '')} is unusable \\(.+\\): computing it again`));
    expect(JSON.parse(readFileSync(join(tasksDir, probe!), 'utf8'))).toHaveProperty('test');
    expect(cached('probe-')).toEqual([probe]);
  }, 300_000);

  it('editing the model\'s weights (same path, same size) makes new probe and scratch tasks', async () => {
    const before = records(runDirOf(await tlx('run', 'from-model.yaml', '--no-report')));
    const weights = join(dir, 'net', 'weights.bin');
    const bytes = new Float32Array(new Uint8Array(readFileSync(weights)).buffer);
    writeFileSync(weights, new Uint8Array(bytes.map((w) => w * 0.5 + 0.01).buffer));
    // Resuming would mix trials of the old weights with trials of the new ones.
    const trials = join(runDir, 'trials.jsonl');
    const [kept] = readFileSync(trials, 'utf8').trim().split('\n');
    writeFileSync(trials, `${kept}\n`);
    const resumed = await tlx('run', 'from-model.yaml', '--no-report');
    expect(resumed.code).toBe(2);
    expect(resumed.stderr.split('\n')[0]).toMatch(/^tlx: .* holds trials computed from source model-\w+, but the source is now model-\w+ \(source.model's files changed since\)$/);
    expect(resumed.stderr).toContain('--fresh');
    expect(readFileSync(trials, 'utf8')).toBe(`${kept}\n`);
    const edited = await tlx('run', 'from-model.yaml', '--no-report', '--fresh');
    expect(edited.code, edited.stderr).toBe(0);
    const after = records(runDirOf(edited));
    expect([cached('probe-').length, cached('scratch-').length]).toEqual([2, 2]);
    expect(after[0]!.scratch!.task).not.toBe(before[0]!.scratch!.task);
    expect(after.map((r) => r.indicators?.transferOnly)).not.toEqual(before.map((r) => r.indicators?.transferOnly));
  }, 300_000);

  it('a pretrained source with its weights file gone is trained again, with a note', async () => {
    const first = await tlx('run', 'pretrained.yaml', '--no-report');
    expect(first.code, first.stderr).toBe(0);
    const folder = join(dir, '.tlx-cache', 'pretrain', `tfjs-backend-wasm@${WASM_VERSION}`);
    const [pretrained] = readdirSync(folder).filter((d) => d.startsWith('pretrain-'));
    rmSync(join(folder, pretrained!, 'weights.bin'));
    const again = await tlx('run', 'pretrained.yaml', '--no-report', '--fresh');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`tlx: the cached pretrained source ${pretrained} is unusable \\(.*weight shard listed in model.json is missing\\): training it again`));
    expect(existsSync(join(folder, pretrained!, 'weights.bin'))).toBe(true);
    expect(records(runDirOf(again)).map((r) => r.status)).toEqual(['ok']);
  }, 300_000);
});
