import { availableParallelism, cpus } from 'node:os';
import type { BackendInfo } from '../engine/init-backend.js';
import { measure, type MeasureOptions, type WorkloadResult } from './measure.js';
import { findPytorch, measurePytorch, type PytorchResult } from './pytorch.js';
import { WORKLOADS } from './workloads.js';

export interface BenchRow extends WorkloadResult {
  readonly pytorch?: PytorchResult;
  /** tlx / PyTorch, training and inference samples per second. */
  readonly ratio?: { readonly train: number; readonly infer: number };
  /** The bench process's peak resident memory after this workload (MiB; workloads run smallest first). */
  readonly peakRssMiB: number;
}

export interface BenchReport {
  readonly backend: BackendInfo;
  readonly threads: number;
  readonly cpu: string;
  readonly node: string;
  readonly pytorch: string;
  readonly rows: readonly BenchRow[];
}

export interface BenchOptions extends MeasureOptions {
  readonly workloads?: readonly string[];
  readonly pytorch: boolean;
  readonly onRow?: (row: BenchRow) => void;
}

/** Threads the backend computes with; PyTorch is given the same number. */
function backendThreads(backend: BackendInfo): number {
  // tfjs-backend-wasm runs on TLX_WASM_THREADS threads (default 1); tfjs-node uses all cores, and
  // so does Mesa's llvmpipe under webgpu on a software adapter.
  if (backend.name === 'wasm') return backend.threads ?? 1;
  return backend.name === 'tensorflow' || (backend.name === 'webgpu' && !backend.gpu) ? availableParallelism() : 1;
}

/**
 * Measures each workload on the active backend and, where PyTorch is installed,
 * the same workload in PyTorch right after it, so the ratio compares like with like.
 */
export async function runBench(backend: BackendInfo, options: BenchOptions): Promise<BenchReport> {
  const threads = backendThreads(backend);
  const torch = options.pytorch ? await findPytorch() : { reason: 'skipped (--no-pytorch)' };
  const rows: BenchRow[] = [];
  const chosen = WORKLOADS.filter((w) => options.workloads == null || options.workloads.includes(w.name));
  for (const workload of chosen) {
    const result = await measure(workload, options);
    let row: BenchRow = { ...result, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
    if (torch.python != null) {
      const pytorch = await measurePytorch(torch.python, workload, threads, options);
      row = {
        ...row,
        pytorch,
        ratio: {
          train: result.train.samplesPerSec / pytorch.trainSamplesPerSec,
          infer: result.infer.samplesPerSec / pytorch.inferSamplesPerSec,
        },
      };
    }
    options.onRow?.(row);
    rows.push(row);
  }
  return {
    backend,
    threads,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    pytorch: torch.reason,
    rows,
  };
}
