import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { packagePath } from '../package-root.js';
import type { MeasureOptions } from './measure.js';
import type { Workload } from './workloads.js';

const run = promisify(execFile);

/** The PyTorch twin of each workload, shipped in the package's bench/ folder. */
const SCRIPT = packagePath('bench', 'pytorch', 'bench.py');

// Debian's python3-torch installs for the system interpreter, which may not be
// the first python3 on PATH.
const INTERPRETERS = ['python3', '/usr/bin/python3'];

export interface PytorchResult {
  readonly trainSamplesPerSec: number;
  readonly inferSamplesPerSec: number;
  readonly torch: string;
  readonly threads: number;
}

/** The first interpreter that can import torch, or undefined with the reason. */
export async function findPytorch(): Promise<{ python?: string; reason: string }> {
  for (const python of INTERPRETERS) {
    try {
      const { stdout } = await run(python, ['-c', 'import torch; print(torch.__version__)'], { timeout: 60_000 });
      return { python, reason: `torch ${stdout.trim()}` };
    } catch {
      // try the next interpreter
    }
  }
  return { reason: 'no python3 with torch found (Debian: apt-get install python3-torch)' };
}

export async function measurePytorch(
  python: string,
  workload: Workload,
  threads: number,
  options: MeasureOptions,
): Promise<PytorchResult> {
  const { stdout } = await run(python, [
    SCRIPT, '--workload', workload.name, '--threads', String(threads), '--batch', String(workload.batch),
    '--warmup', String(options.warmup), '--steps', String(options.steps),
  ], { timeout: 600_000 });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as PytorchResult;
}
