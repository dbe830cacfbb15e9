import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../results/atomic-write.js';
import { type Figure, reportPage } from './html/page.js';
import { loadRun } from './load-run.js';
import { svgToPng } from './png.js';
import { renderSvg } from './render-svg.js';
import { reportCharts } from './report-charts.js';

export interface ReportOptions {
  /** Where the HTML goes; default RUN_DIR/report.html. */
  readonly out?: string;
  /** Also write each chart as RUN_DIR/charts/<id>.png. */
  readonly png?: boolean;
  /** Resolves RUN_DIR and the experiment file the manifest names. */
  readonly cwd?: string;
}

export interface ReportOutcome {
  readonly file: string;
  readonly charts: readonly string[];
  readonly pngs: readonly string[];
}

/** `tlx report` as a function: a run's folder in, one self-contained report.html out. */
export async function writeReport(runDir: string, options: ReportOptions = {}): Promise<ReportOutcome> {
  const run = loadRun(runDir, options.cwd ?? process.cwd());
  const figures: Figure[] = [];
  for (const chart of reportCharts(run)) figures.push({ chart, svg: await renderSvg(chart.spec) });
  const file = options.out ?? join(run.dir, 'report.html');
  writeFileAtomic(file, reportPage(run, figures));
  const pngs: string[] = [];
  if (options.png) {
    const dir = join(run.dir, 'charts');
    mkdirSync(dir, { recursive: true });
    for (const f of figures) {
      const png = join(dir, `${f.chart.id}.png`);
      await svgToPng(f.svg, png);
      pngs.push(png);
    }
  }
  return { file, charts: figures.map((f) => f.chart.id), pngs };
}
