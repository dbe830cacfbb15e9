import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findPytorch } from '../../src/bench/pytorch.js';
import { need } from '../support/optional.js';

const run = promisify(execFile);
const BIN = 'dist/src/cli/bin.js';
const found = await findPytorch();
const torch = need('PyTorch', found.python != null, found.reason);

// The built binary, as a user runs it: a tiny budget, results as JSON.
describe('tlx bench (built binary)', () => {
  it('measures the MNIST CNN on wasm and prints a table', async () => {
    expect(existsSync(BIN), `${BIN} missing: run npm run build`).toBe(true);
    const { stdout } = await run('node', [BIN, 'bench', '--backend', 'wasm', '--workload', 'mnist-cnn',
      '--steps', '1', '--warmup', '0', '--no-pytorch']);
    expect(stdout).toContain('backend: wasm');
    expect(stdout).toMatch(/Keras MNIST CNN 28x28x1\s+128\s+\d+\.\d/);
  });

  it.runIf(torch.available)(`compares with PyTorch in the same run ${torch.available ? `(${found.reason})` : torch.label}`, async () => {
    const { stdout } = await run('node', [BIN, 'bench', '--backend', 'wasm', '--workload', 'mnist-cnn',
      '--steps', '1', '--warmup', '0', '--json', '-']);
    const report = JSON.parse(stdout);
    const row = report.rows[0];
    // A Node process with a backend holds at least tens of MiB; a machine here has 24 GiB.
    expect(row.peakRssMiB).toBeGreaterThan(50);
    expect(row.peakRssMiB).toBeLessThan(24 * 1024);
    expect(row.workload).toBe('mnist-cnn');
    expect(row.train.samplesPerSec).toBeGreaterThan(0);
    expect(row.pytorch.threads).toBe(1);
    expect(row.ratio.train).toBeCloseTo(row.train.samplesPerSec / row.pytorch.trainSamplesPerSec, 6);
  });
});
