import type { Estimate } from '../indicators/statistics.js';
import type { GridPoint } from '../plan/grid.js';

/** `mean ± half-width` of a symmetric interval; the mean alone without one; `-` for nothing. */
export function formatEstimate(e: Estimate, digits = 3): string {
  if (e.n === 0 || !Number.isFinite(e.mean)) return '-';
  if (e.low == null || e.high == null) return e.mean.toFixed(digits);
  return `${e.mean.toFixed(digits)} ± ${((e.high - e.low) / 2).toFixed(digits)}`;
}

/** A ratio's interval is not symmetric (it is one on the log scale): `1.50x [0.90, 2.51]`. */
export function formatRatio(e: Estimate): string {
  if (e.n === 0 || !Number.isFinite(e.mean)) return '-';
  const x = `${e.mean.toFixed(2)}x`;
  return e.low == null || e.high == null ? x : `${x} [${e.low.toFixed(2)}, ${e.high.toFixed(2)}]`;
}

/** `transfer.freeze="all" train.learningRate=0.001`, as the summary tables name grid points. */
export function pointLabel(point: GridPoint): string {
  const entries = Object.entries(point);
  return entries.length === 0 ? '(no grid)' : entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
}
