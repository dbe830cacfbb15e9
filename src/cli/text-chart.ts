/** A series against a logarithmic x axis, as the terminal shows it. */
export interface TextSeries {
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Where to draw a marker column (e.g. a suggested value), on the x scale. */
  readonly mark?: number;
}

/**
 * A small text plot (width x height characters) of y against log10(x): '*' per
 * column at its mean y, '|' down the marked column, the y range on the left and
 * the x range below. For a terminal, where tlx lr-find prints its sweep.
 */
export function textChart(series: TextSeries, width = 60, height = 12): string {
  const finite = series.x.map((x, i) => [Math.log10(x), series.y[i]!] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (finite.length === 0) return '(no finite points)\n';
  const [x0, x1] = [Math.min(...finite.map((p) => p[0])), Math.max(...finite.map((p) => p[0]))];
  const [y0, y1] = [Math.min(...finite.map((p) => p[1])), Math.max(...finite.map((p) => p[1]))];
  const column = (x: number) => (x1 === x0 ? 0 : Math.min(width - 1, Math.floor(((x - x0) / (x1 - x0)) * width)));
  const row = (y: number) => (y1 === y0 ? 0 : Math.round(((y1 - y) / (y1 - y0)) * (height - 1)));
  const sums = Array.from({ length: width }, () => ({ total: 0, n: 0 }));
  for (const [x, y] of finite) {
    const c = sums[column(x)]!;
    c.total += y;
    c.n += 1;
  }
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  if (series.mark != null && Number.isFinite(Math.log10(series.mark))) {
    const c = column(Math.log10(series.mark));
    for (const line of grid) line[c] = '|';
  }
  sums.forEach((c, i) => {
    if (c.n > 0) grid[row(c.total / c.n)]![i] = '*';
  });
  const label = (y: number) => y.toPrecision(3).padStart(9);
  const lines = grid.map((line, r) => `${r === 0 ? label(y1) : r === height - 1 ? label(y0) : ' '.repeat(9)} ${line.join('')}`);
  const left = (10 ** x0).toExponential(0);
  const right = (10 ** x1).toExponential(0);
  lines.push(`${' '.repeat(10)}${left}${right.padStart(width - left.length)}`);
  return `${lines.join('\n')}\n`;
}
