import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findAdapters } from '../../src/engine/webgpu-adapter.js';
import type { TrialRecord } from '../../src/results/trial-record.js';
import { need } from '../support/optional.js';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');

// A whole tiny experiment on webgpu through the built binary (pretrain, scratch,
// probe, a frozen-feature trial, its export), and the same on wasm: webgpu has no
// synchronous read under Node, so every read on these paths must be asynchronous.
const TINY = `name: tiny-webgpu
seed: 7
repeats: 1
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4], perClass: 20 }
    train: { epochs: 1, batchSize: 32 }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 10, validation: 0.05, test: 0.05 }
transfer:
  head:
    - dense: { units: 16 }
train: { epochs: 2, batchSize: 16 }
grid:
  transfer.freeze: [all]
`;

const search = await findAdapters();
const adapter = need('a WebGPU adapter', search.status === 'found', search.status === 'none' ? search.reason : '');

describe.skipIf(!adapter.available)(`tlx run --backend webgpu (built binary, tiny experiment) ${adapter.label}`, () => {
  it('runs every task, records the adapter, and scores as wasm does', async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    const outcomes = [];
    for (const backend of ['webgpu', 'wasm']) {
      const dir = mkdtempSync(join(tmpdir(), `tlx-${backend}-`));
      writeFileSync(join(dir, 'tiny.yaml'), TINY);
      const { stdout } = await run('node', [BIN, 'run', 'tiny.yaml', '--backend', backend], { cwd: dir, env: { ...process.env, TLX_BACKEND: '' } });
      expect(stdout).toContain(`1 trials run, 0 already done, 0 failed; backend ${backend}`);
      const runDir = join(dir, stdout.match(/results: (.*)/)![1]!);
      const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
      const [record] = readFileSync(join(runDir, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as TrialRecord);
      expect(existsSync(join(runDir, 'models', record!.trial, 'model.json'))).toBe(true);
      outcomes.push({ manifest, record: record! });
    }
    const [webgpu, wasm] = outcomes as [typeof outcomes[0], typeof outcomes[0]];
    expect(webgpu.manifest.environment.backend).toMatchObject({ name: 'webgpu', adapter: { device: expect.any(String), driver: expect.any(String) } });
    expect(webgpu.record.backend?.adapter).toEqual(webgpu.manifest.environment.backend.adapter);
    // The same seeds, the same data: the training losses agree to float32 rounding.
    const losses = (r: TrialRecord) => (r.curve ?? []).map((p) => p.loss);
    const [a, b] = [losses(webgpu.record), losses(wasm.record)];
    expect(a.length).toBeGreaterThan(0);
    expect(a.length).toBe(b.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!) / b[i]!, `loss ${i}: ${v} vs ${b[i]}`).toBeLessThan(1e-3));
  }, 300_000);
});
