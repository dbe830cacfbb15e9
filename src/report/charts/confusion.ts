import { type Chart, CONFIG, SCHEMA } from './chart.js';

/** The test-set confusion matrix of one trial: counts by true and predicted class. */
export function confusionChart(matrix: readonly (readonly number[])[], classNames: readonly string[], about: string): Chart {
  const name = (i: number) => classNames[i] ?? String(i);
  const cells = matrix.flatMap((row, t) => row.map((count, p) => ({ truth: name(t), predicted: name(p), count })));
  const names = matrix.map((_, i) => name(i));
  const max = Math.max(1, ...cells.map((c) => c.count));
  const step = Math.max(22, Math.min(48, Math.floor(420 / Math.max(1, names.length))));
  return {
    id: 'confusion',
    title: `Confusion matrix of the best trial (${about})`,
    caption: 'Test-set counts: rows are the true classes, columns the predicted ones; the diagonal is right.',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      data: { values: cells },
      width: { step },
      height: { step },
      encoding: {
        x: { field: 'predicted', type: 'ordinal', sort: names, title: 'predicted', axis: { orient: 'top', labelAngle: 0 } },
        y: { field: 'truth', type: 'ordinal', sort: names, title: 'true' },
      },
      layer: [
        { name: 'cell', mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', title: 'count', scale: { scheme: 'greens' } } } },
        { name: 'count', mark: { type: 'text', fontSize: names.length > 12 ? 8 : 11 },
          encoding: { text: { field: 'count' }, color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: '#111' } } },
      ],
    },
  };
}
