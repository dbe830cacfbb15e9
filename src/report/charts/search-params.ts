import type { Metric } from '../../config/resolved.js';
import { shortKey } from '../grid-axes.js';
import { type Chart, CONFIG, SCHEMA } from './chart.js';

/** One configuration's value of one parameter and its score. */
export interface ParamDot {
  readonly param: string;
  /** The value when the parameter is numeric, else null. */
  readonly value: number | null;
  /** The value as text: the categorical axis. */
  readonly text: string;
  readonly score: number;
  /** The highest rung its score is from. */
  readonly rung: number;
}

/** How one parameter's axis is drawn: log when positive numbers span more than two decades, evenly spaced for categories. */
export type ParamAxis = { readonly kind: 'log' | 'linear' } | { readonly kind: 'categorical'; readonly order: readonly string[] };

/** The axis a parameter's values call for. */
export function paramAxis(values: readonly unknown[]): ParamAxis {
  if (values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const ns = values as number[];
    const [low, high] = [Math.min(...ns), Math.max(...ns)];
    return { kind: low > 0 && high / low > 100 ? 'log' : 'linear' };
  }
  const texts = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return { kind: 'categorical', order: [...new Set(texts)] };
}

/**
 * Each searched parameter against the score: one small scatter per parameter, a dot
 * per configuration (mean over repeats), coloured by the highest rung it reached under ASHA.
 */
export function searchParamsChart(dots: readonly ParamDot[], axes: ReadonlyMap<string, ParamAxis>, metric: Metric, rungs: readonly number[] | null): Chart {
  const Y = { field: 'score', type: 'quantitative', title: `test ${metric}`, scale: { zero: false } } as const;
  const color = rungs ? { color: { field: 'rung', type: 'ordinal' as const, title: 'highest rung', scale: { domain: [...rungs], scheme: 'viridis' } } } : {};
  const views = [...axes.entries()].map(([param, axis], i) => ({
    name: `param_${i}`,
    width: 200,
    height: 150,
    transform: [{ filter: `datum.param === ${JSON.stringify(param)}` }],
    mark: { type: 'point' as const, filled: true, size: 45, opacity: 0.8, ...(rungs ? {} : { color: '#1f6fb4' }) },
    encoding: {
      x: axis.kind === 'categorical'
        ? { field: 'text', type: 'ordinal' as const, title: shortKey(param), sort: [...axis.order], axis: { labelAngle: 0 } }
        : { field: 'value', type: 'quantitative' as const, title: shortKey(param), ...(axis.kind === 'log' ? { scale: { type: 'log' as const }, axis: { format: '.0e' } } : { scale: { zero: false } }) },
      y: Y,
      ...color,
    },
  }));
  return {
    id: 'search-params',
    title: 'Each searched parameter against the score',
    caption: `One dot per configuration: its mean test ${metric} over repeats` + (rungs ? ', at the highest rung it reached (colour).' : '.') +
      ' Numeric parameters spanning more than two decades are on a log axis.',
    spec: { $schema: SCHEMA, config: CONFIG, data: { values: [...dots] }, columns: Math.min(3, Math.max(1, axes.size)), concat: views },
  };
}
