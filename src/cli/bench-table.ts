import type { BenchReport, BenchRow } from '../bench/run-bench.js';
import { describeAdapter } from '../engine/webgpu-adapter.js';
import { formatTable } from './format-table.js';

const HEADER = ['workload', 'batch', 'train samples/s', 'train GFLOP/s', 'infer samples/s', 'infer GFLOP/s',
  'PyTorch train', 'PyTorch infer', 'train ratio', 'infer ratio', 'peak RSS MiB'];

function cells(row: BenchRow): string[] {
  const n = (v: number | undefined, digits = 1) => (v == null ? '-' : v.toFixed(digits));
  return [
    row.title, String(row.batch),
    n(row.train.samplesPerSec), n(row.train.gflopsPerSec, 2),
    n(row.infer.samplesPerSec), n(row.infer.gflopsPerSec, 2),
    n(row.pytorch?.trainSamplesPerSec), n(row.pytorch?.inferSamplesPerSec),
    row.ratio ? `${row.ratio.train.toFixed(2)}x` : '-', row.ratio ? `${row.ratio.infer.toFixed(2)}x` : '-',
    n(row.peakRssMiB, 0),
  ];
}

/** The benchmark as an aligned plain-text table with its context lines. */
export function formatBenchTable(report: BenchReport): string {
  return [
    `backend: ${report.backend.name} (${report.backend.package}${report.backend.gpu ? ', GPU' : ''}), ` +
      `${report.threads} thread(s); PyTorch: ${report.pytorch}, same threads`,
    ...(report.backend.adapter != null ? [`adapter: ${describeAdapter(report.backend.adapter)}`] : []),
    `cpu: ${report.cpu}; node ${report.node}; training FLOPs counted as 3x forward`,
    '',
    formatTable(HEADER, report.rows.map(cells)),
  ].join('\n');
}
