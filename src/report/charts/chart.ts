import type { Config, TopLevelSpec } from 'vega-lite';

/** One figure of the report: a Vega-Lite spec and the words around it. */
export interface Chart {
  /** Stable id: the figure's HTML id (`chart-<id>`) and the PNG's file name. */
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** Transfer and scratch keep their colours in every chart. */
export const ARM_COLOR = { field: 'arm', type: 'nominal', title: null, scale: { domain: ['transfer', 'scratch'], range: ['#1f6fb4', '#d95f02'] } } as const;

export const CONFIG: Config = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#eee' },
  header: { labelFontSize: 12 },
  legend: { labelFontSize: 12, orient: 'top', labelLimit: 400 },
};

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
