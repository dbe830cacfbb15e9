import type { Distribution } from '../../config/resolved.js';
import type { GridPoint } from '../grid.js';

/**
 * One parameter of a search space in the coordinates strategies work in: a
 * choice is an index, a number its value on a line (the logarithm for log
 * scales) from `low` to `high`, snapped to its grid of integers or steps.
 */
export type Dimension =
  | { readonly key: string; readonly kind: 'choice'; readonly values: readonly unknown[] }
  | {
    readonly key: string; readonly kind: 'number';
    /** The line's ends: the distribution's bounds, widened by half a step where values are discrete, in log space for log scales. */
    readonly low: number; readonly high: number;
    readonly log: boolean;
    /** Values are low0 + k x step (integers: step 1); undefined for a continuum. */
    readonly step?: number;
    /** The distribution's own lower bound (the first value of a discrete one). */
    readonly first: number;
    /** The distribution's own upper bound. */
    readonly last: number;
    readonly integer: boolean;
  };

/** Significant digits a continuous value keeps: records stay readable and a value means the same wherever it is read back. */
const DIGITS = 6;

/** The dimensions of a space, in the file's key order. */
export function dimensions(space: Readonly<Record<string, Distribution | undefined>>): Dimension[] {
  return Object.entries(space).flatMap(([key, d]) => (d == null ? [] : [dimension(key, d)]));
}

function dimension(key: string, d: Distribution): Dimension {
  if ('choice' in d) return { key, kind: 'choice', values: d.choice };
  if ('logUniform' in d) {
    const [first, last] = d.logUniform;
    return { key, kind: 'number', low: Math.log(first), high: Math.log(last), log: true, first, last, integer: false };
  }
  if ('uniform' in d) {
    const [first, last] = d.uniform;
    const step = d.step;
    const top = step == null ? last : first + Math.floor((last - first) / step + 1e-9) * step;
    const half = step == null ? 0 : step / 2;
    return { key, kind: 'number', low: first - half, high: top + half, log: false, ...(step == null ? {} : { step }), first, last: top, integer: false };
  }
  const [first, lastWritten] = d.int;
  if (d.log === true) return { key, kind: 'number', low: Math.log(first - 0.5), high: Math.log(lastWritten + 0.5), log: true, first, last: lastWritten, integer: true };
  const step = d.step ?? 1;
  const last = first + Math.floor((lastWritten - first) / step) * step;
  return { key, kind: 'number', low: first - step / 2, high: last + step / 2, log: false, step, first, last, integer: true };
}

/** The value at a coordinate of the dimension's line (a choice: the index's value), snapped to the values it can take. */
export function valueAt(dim: Dimension, x: number): unknown {
  if (dim.kind === 'choice') return dim.values[Math.min(dim.values.length - 1, Math.max(0, Math.floor(x)))];
  const raw = dim.log ? Math.exp(x) : x;
  if (dim.integer && dim.step == null) return clamp(Math.round(raw), dim.first, dim.last);
  if (dim.step != null) {
    const k = Math.round((raw - dim.first) / dim.step);
    const v = clamp(dim.first + k * dim.step, dim.first, dim.last);
    return dim.integer ? v : significant(v);
  }
  return significant(clamp(raw, dim.first, dim.last));
}

/** Where a value lies on the dimension's line: inverse of valueAt for the values it returns. */
export function coordinateOf(dim: Dimension, value: unknown): number {
  if (dim.kind === 'choice') return dim.values.findIndex((v) => JSON.stringify(v) === JSON.stringify(value)) + 0.5;
  const v = value as number;
  return dim.log ? Math.log(v) : v;
}

/** The value at a fraction u in [0, 1) of the dimension: how random draws and Sobol points become values. */
export function valueAtFraction(dim: Dimension, u: number): unknown {
  if (dim.kind === 'choice') return dim.values[Math.min(dim.values.length - 1, Math.floor(u * dim.values.length))];
  return valueAt(dim, dim.low + u * (dim.high - dim.low));
}

/** A point of the space from one fraction per dimension. */
export function pointAtFractions(dims: readonly Dimension[], u: readonly number[]): GridPoint {
  return Object.fromEntries(dims.map((d, i) => [d.key, valueAtFraction(d, u[i]!)]));
}

/** The values a dimension can take when there are finitely many, else undefined. */
export function dimensionValues(dim: Dimension): readonly unknown[] | undefined {
  if (dim.kind === 'choice') return dim.values;
  if (!dim.integer && dim.step == null) return undefined;
  if (dim.log) return range(dim.first, dim.last, 1);
  return range(dim.first, dim.last, dim.step!).map((v) => (dim.integer ? v : significant(v)));
}

/** How many distinct points the space has (Infinity with a continuous dimension). */
export function spaceSize(dims: readonly Dimension[]): number {
  return dims.reduce((n, d) => n * (dimensionValues(d)?.length ?? Infinity), 1);
}

function range(first: number, last: number, step: number): number[] {
  const count = Math.floor((last - first) / step + 1e-9) + 1;
  return Array.from({ length: count }, (_, k) => first + k * step);
}

function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}

function significant(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(DIGITS));
}
