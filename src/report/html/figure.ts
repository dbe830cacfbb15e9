import type { Chart } from '../charts/chart.js';
import { esc } from './escape.js';

/** A chart and its SVG, drawn at report time. */
export interface Figure {
  readonly chart: Chart;
  readonly svg: string;
}

/** A figure with its title and caption; nothing for a chart the run did not call for. */
export function figure(f: Figure | undefined): string {
  if (f == null) return '';
  return `<figure id="chart-${esc(f.chart.id)}">${f.svg}<figcaption><strong>${esc(f.chart.title)}</strong>${esc(f.chart.caption)}</figcaption></figure>`;
}
