import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.js';
import { writeReport } from '../../report/write-report.js';
import type { CommandContext } from '../context.js';

export const REPORT_HELP = `Usage: tlx report RUN_DIR [options]

Writes RUN_DIR/report.html: one self-contained page (no network, no CDN) with the
run's question and setup, the grid points with the three transfer indicators and
their 95% intervals, learning curves of transfer against scratch, the
transferability curve (freeze depth), a heatmap when two parameters vary, the best
trial's confusion matrix, every trial's status, and the environment.

Options:
  --out FILE    write the page here instead (default RUN_DIR/report.html)
  --png         also write each chart as RUN_DIR/charts/<chart>.png
  -h, --help    show this help

RUN_DIR is the folder tlx run printed as 'results: ...' (results/<name>/<run>).
Exit codes: 0 written, 2 not a run folder or bad usage.
`;

export async function reportCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, png: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    ctx.out(REPORT_HELP);
    return 0;
  }
  const [dir, ...rest] = positionals;
  if (dir == null) throw new UsageError('E_USAGE', 'missing the run folder', REPORT_HELP.split('\n')[0]);
  if (rest.length > 0) throw new UsageError('E_USAGE', `unexpected argument '${rest[0]}'`, REPORT_HELP.split('\n')[0]);
  if (/\.ya?ml$/.test(dir)) {
    throw new UsageError('E_USAGE', `'${dir}' is an experiment file; tlx report takes the run folder`, 'run it first (tlx run FILE), then tlx report results/<name>/<run>');
  }
  const outcome = await writeReport(dir, { cwd: ctx.cwd, png: values.png === true, ...(values.out ? { out: resolve(ctx.cwd, values.out) } : {}) });
  ctx.out(`report: ${relative(ctx.cwd, outcome.file)}\n`);
  for (const png of outcome.pngs) ctx.out(`chart: ${relative(ctx.cwd, png)}\n`);
  return 0;
}
