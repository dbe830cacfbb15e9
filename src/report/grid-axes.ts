import type { GridPoint } from '../plan/grid.js';

/** The grid's keys that take more than one value, in the grid's order. */
export function varyingKeys(grid: Readonly<Record<string, readonly unknown[]>>): string[] {
  return Object.entries(grid).filter(([, values]) => values.length > 1).map(([key]) => key);
}

/** `transfer.freeze` -> `freeze`: the last segment is what a chart has room for. */
export function shortKey(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** A grid value as text: `all`, `1`, `0.001`. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `freeze=all, learningRate=0.001`: a grid point by the keys that vary. */
export function shortLabel(point: GridPoint, keys: readonly string[]): string {
  return keys.length === 0 ? 'all trials' : keys.map((k) => `${shortKey(k)}=${valueText(point[k])}`).join(', ');
}
