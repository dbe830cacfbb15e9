import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runBench } from '../../bench/run-bench.js';
import { WORKLOADS } from '../../bench/workloads.js';
import { chooseBackend, initBackend } from '../../engine/init-backend.js';
import { UsageError } from '../../errors.js';
import { formatBenchTable } from '../bench-table.js';
import type { CommandContext } from '../context.js';
import { positiveInt } from '../parse-values.js';

export const BENCH_HELP = `Usage: tlx bench [options]

Training and inference throughput of this machine's backend on the Keras MNIST CNN
(batch 128), MobileNet v1 alpha 0.25 96x96 (batch 32), MobileNetV2 224x224 (batch 8)
and Kim's text CNN (20,000 words x 300, 50 tokens, batch 50); where PyTorch is
installed, the same workloads in PyTorch with the same thread count, and the ratio
tlx/PyTorch.

Options:
  --backend NAME     auto | tensorflow | wasm | cpu | webgpu (default: $TLX_BACKEND or auto)
  --workload NAME    ${WORKLOADS.map((w) => w.name).join(' | ')} (repeatable; default: all)
  --steps N          timed steps per measurement (default 20)
  --warmup N         untimed steps first (default 2)
  --no-pytorch       do not run the PyTorch comparison
  --profile          also print where a training step goes, kernel by kernel
  --json FILE        also write the results as JSON ('-' for standard output only)
  -h, --help         show this help
`;

export async function benchCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
      workload: { type: 'string', multiple: true },
      steps: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '2' },
      'no-pytorch': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    ctx.out(BENCH_HELP);
    return 0;
  }
  const known = WORKLOADS.map((w) => w.name as string);
  for (const w of values.workload ?? []) {
    if (!known.includes(w)) {
      throw new UsageError('E_USAGE', `--workload: unknown workload '${w}'`, `expected one of: ${known.join(', ')}`);
    }
  }
  const backend = await initBackend(chooseBackend({ flag: values.backend, env: ctx.env.TLX_BACKEND }));
  const jsonToStdout = values.json === '-';
  const report = await runBench(backend, {
    steps: positiveInt('--steps', values.steps),
    warmup: positiveInt('--warmup', values.warmup, true),
    workloads: values.workload,
    pytorch: !values['no-pytorch'],
    profile: values.profile,
    onRow: jsonToStdout ? undefined : (row) => ctx.err(`measured ${row.title}\n`),
  });
  if (jsonToStdout) {
    ctx.out(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  ctx.out(`${formatBenchTable(report)}\n`);
  if (values.json != null) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  return 0;
}
