import { formatCount } from '../quote.js';

/** A grid point: dotted path -> the value it takes. */
export type GridPoint = Readonly<Record<string, unknown>>;

/** The most trials one run may plan (grid points x repeats): a sweep past it is refused before it is expanded. */
export const MAX_TRIALS = 10_000;

/** The number of grid points, counted without expanding them (one point for an empty grid). */
export function gridSize(grid: Readonly<Record<string, readonly unknown[]>>): number {
  return Object.values(grid).reduce((n, values) => n * values.length, 1);
}

/** What to do about a sweep with too many trials. */
export const GRID_SIZE_HINT = 'sweep fewer values at once (each grid point runs `repeats` trials), or split the sweep into several files';

/** Why a sweep is too large to plan, or undefined: its trials are counted, not listed. */
export function gridSizeProblem(grid: Readonly<Record<string, readonly unknown[]>>, repeats: number): string | undefined {
  const points = gridSize(grid);
  if (points * repeats <= MAX_TRIALS) return undefined;
  return `the grid has ${formatCount(points)} points x ${repeats} repeat${repeats === 1 ? '' : 's'} = ${formatCount(points * repeats)} trials; ` +
    `a run is limited to ${formatCount(MAX_TRIALS)} trials`;
}

/** The cartesian product of the grid's value lists, first key varying slowest. */
export function gridPoints(grid: Readonly<Record<string, readonly unknown[]>>): GridPoint[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  }
  return points;
}

/**
 * A copy of `value` with the dotted `path` set, creating mappings on the way; null
 * removes the field (a sweep with and without an optional block, as --set does).
 */
export function withPath<T>(value: T, path: string, to: unknown): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  const segments = path.split('.');
  let node = copy;
  for (const s of segments.slice(0, -1)) {
    const next = node[s];
    node[s] = next && typeof next === 'object' && !Array.isArray(next) ? next : {};
    node = node[s] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1]!;
  if (to === null) delete node[last];
  else node[last] = structuredClone(to);
  return copy as T;
}

export function applyPoint<T>(value: T, point: GridPoint): T {
  return Object.entries(point).reduce((v, [path, to]) => withPath(v, path, to), value);
}
