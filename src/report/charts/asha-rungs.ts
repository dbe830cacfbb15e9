import type { Metric } from '../../config/resolved.js';
import { type Chart, CONFIG, SCHEMA } from './chart.js';

/** One configuration's score at one rung and what became of it there. */
export interface RungDot {
  readonly rung: number;
  /** The rung plus a small fixed offset, so dots at one rung do not hide each other. */
  readonly x: number;
  readonly score: number;
  readonly fate: 'promoted' | 'stopped' | 'top rung';
}

/** What the rung axis says under each rung. */
export interface RungTick {
  readonly rung: number;
  readonly epochs: number;
  readonly reached: number;
}

export const FATES = ['promoted', 'stopped', 'top rung'] as const;

/** ASHA's rungs: per rung the configurations that reached it, their scores, the promoted ones highlighted. */
export function ashaRungsChart(dots: readonly RungDot[], ticks: readonly RungTick[], metric: Metric): Chart {
  // Three lines under each rung: which, its epochs, how many got there.
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const labelExpr = ticks.reduce((expr, t) =>
    `datum.value === ${t.rung} ? ['rung ${t.rung}', '${plural(t.epochs, 'epoch')}', '${plural(t.reached, 'configuration')}'] : ${expr}`, "''");
  return {
    id: 'asha-rungs',
    title: 'ASHA rungs: who reached each rung, and who went on',
    caption: `One dot per configuration and rung: its mean test ${metric} over repeats after that rung's epochs. ` +
      'Blue: promoted to the next rung; grey: stopped there (or, in a search still running, waiting); green: at the top rung.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: Math.max(240, 150 * ticks.length),
      height: 240,
      data: { values: [...dots] },
      mark: { type: 'point', filled: true, size: 50, opacity: 0.85 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: null, scale: { domain: [-0.5, Math.max(0, ...ticks.map((t) => t.rung)) + 0.5], nice: false },
          axis: { values: ticks.map((t) => t.rung), labelExpr, grid: false, labelLimit: 200, labelOverlap: false } },
        y: { field: 'score', type: 'quantitative', title: `test ${metric}`, scale: { zero: false } },
        color: { field: 'fate', type: 'nominal', title: null, scale: { domain: [...FATES], range: ['#1f6fb4', '#b5bcc4', '#2e7d32'] } },
      },
    },
  };
}
