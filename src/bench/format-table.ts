import type { BenchReport, BenchRow } from './run-bench.js';

const HEADER = ['workload', 'batch', 'train samples/s', 'train GFLOP/s', 'infer samples/s', 'infer GFLOP/s',
  'PyTorch train', 'PyTorch infer', 'train ratio', 'infer ratio'];

function cells(row: BenchRow): string[] {
  const n = (v: number | undefined, digits = 1) => (v == null ? '-' : v.toFixed(digits));
  return [
    row.title, String(row.batch),
    n(row.train.samplesPerSec), n(row.train.gflopsPerSec, 2),
    n(row.infer.samplesPerSec), n(row.infer.gflopsPerSec, 2),
    n(row.pytorch?.trainSamplesPerSec), n(row.pytorch?.inferSamplesPerSec),
    row.ratio ? `${row.ratio.train.toFixed(2)}x` : '-', row.ratio ? `${row.ratio.infer.toFixed(2)}x` : '-',
  ];
}

/** The benchmark as an aligned plain-text table with its context lines. */
export function formatBenchTable(report: BenchReport): string {
  const rows = [HEADER, ...report.rows.map(cells)];
  const widths = HEADER.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [
    `backend: ${report.backend.name} (${report.backend.package}${report.backend.gpu ? ', GPU' : ''}), ` +
      `${report.threads} thread(s); PyTorch: ${report.pytorch}, same threads`,
    `cpu: ${report.cpu}; node ${report.node}; training FLOPs counted as 3x forward`,
    '',
    line(rows[0]!),
    ...rows.slice(1).map(line),
  ].join('\n');
}
