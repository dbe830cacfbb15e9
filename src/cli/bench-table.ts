import type { StepProfile } from '../bench/profile.js';
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
    ...report.rows.flatMap((row) => (row.trainProfile ? ['', formatProfile(row.title, row.trainProfile)] : [])),
  ].join('\n');
}

/** The kernels that take a training step's time, largest first, down to 1% of the step. */
function formatProfile(title: string, p: StepProfile): string {
  const shown = p.kernels.filter((k) => k.ms >= p.stepMs / 100);
  return [
    `${title}: one training step ${p.stepMs.toFixed(1)} ms; ${p.kernelMs.toFixed(1)} ms in ${Math.round(p.calls)} kernel calls, ` +
      `${(p.stepMs - p.kernelMs).toFixed(1)} ms outside kernels`,
    formatTable(['kernel', 'ms/step', 'share', 'calls/step'], shown.map((k) => [
      k.kernel, k.ms.toFixed(2), `${((100 * k.ms) / p.stepMs).toFixed(1)}%`, String(Math.round(k.calls)),
    ])),
  ].join('\n');
}
