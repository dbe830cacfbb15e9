import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { paramAxis } from '../../src/report/charts/search-params.js';
import { configurationLabel } from '../../src/report/html/search-section.js';
import { loadRun, runKeys } from '../../src/report/load-run.js';
import { reportCharts } from '../../src/report/report-charts.js';
import { paramDots, progressRows, progressSeries, rungDots } from '../../src/report/search-charts.js';
import { writeReport } from '../../src/report/write-report.js';
import { intervalText } from '../../src/results/search-markdown.js';
import { ashaSearchLog, configurationOf, randomSearchLog, type SearchLog } from '../results/search-fixture.js';
import { type Fixture, writeFixtureRun } from './fixture.js';

const SEED = Math.floor(Math.random() * 2 ** 31);

// The grid fixture's manifest turned into a search's: no grid, 2 repeats, the search's records.
function searchRun(fixture: Fixture, s: SearchLog): string {
  const dir = mkdtempSync(join(tmpdir(), 'tlx-report-search-'));
  const manifest = { ...fixture.manifest, config: { ...fixture.manifest.config, grid: {}, repeats: 2 }, seeds: [1337, 1338], trials: s.log.length };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'trials.jsonl'), s.log.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return dir;
}

// The SVG of one figure of the page.
function figureSvg(html: string, id: string): string {
  const start = html.indexOf(`<figure id="chart-${id}">`);
  expect(start, `figure ${id}`).toBeGreaterThan(0);
  return html.slice(start, html.indexOf('</svg>', start));
}

// Vega draws each point of a symbol mark as one <path> in the mark's group.
function symbolCount(svg: string, name: string): number {
  const start = svg.indexOf(`class="mark-symbol role-mark ${name}`);
  expect(start, `mark ${name}`).toBeGreaterThan(0);
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return (group.match(/<path /g) ?? []).length;
}

describe(`the report of a search (seed ${SEED})`, () => {
  let fixture: Fixture;
  beforeAll(() => {
    fixture = writeFixtureRun(mkdtempSync(join(tmpdir(), 'tlx-report-grid-')), process.cwd());
  });

  it('parameter axes: log past two decades of positive numbers, linear otherwise, evenly spaced categories', () => {
    expect(paramAxis([1e-5, 3e-4, 2e-2])).toEqual({ kind: 'log' });
    expect(paramAxis([1, 100])).toEqual({ kind: 'linear' });
    expect(paramAxis([1, 101])).toEqual({ kind: 'log' });
    expect(paramAxis([0, 1e-5, 1])).toEqual({ kind: 'linear' });
    expect(paramAxis([32, 256, 64])).toEqual({ kind: 'linear' });
    expect(paramAxis(['sgd', 'adam', 'sgd'])).toEqual({ kind: 'categorical', order: ['sgd', 'adam'] });
    expect(paramAxis(['all', 1, 'none'])).toEqual({ kind: 'categorical', order: ['all', '1', 'none'] });
  });

  it('ASHA: configurations in suggestion order, its charts, the best configuration at the top rung with its interval', async () => {
    const s = ashaSearchLog(SEED);
    const dir = searchRun(fixture, s);
    const run = loadRun(dir, process.cwd());
    const search = run.search!;
    // The summary follows the order the search proposed the configurations.
    const suggestionOf = new Map(s.log.map((r) => [r.pointId, configurationOf(r)]));
    const order = run.summary.map((p) => suggestionOf.get(p.pointId)!);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).toHaveLength(s.configurations);
    expect(reportCharts(run).map((c) => c.id)).toEqual(['curves-epochs', 'curves-seconds', 'confusion',
      'search-progress-epochs', 'search-progress-seconds', 'search-params', 'asha-rungs']);

    // The step line's corners: improvements only, ending where the compute ends.
    const rows = progressRows(search);
    const full = rows.filter((r) => r.series === progressSeries(search).full);
    expect(full.every((r, i) => i === 0 || r.best > full[i - 1]!.best || !r.improved)).toBe(true);
    expect(full.at(-1)).toMatchObject({ epochs: search.compute.epochs, best: search.ranked[0]!.score.score.mean });
    const dots = rungDots(search);
    expect(dots.filter((d) => d.fate === 'promoted')).toHaveLength(s.promoted.size);
    expect(dots.every((d) => Math.abs(d.x - d.rung) <= 0.25)).toBe(true);

    const html = readFileSync((await writeReport(dir)).file, 'utf8');
    expect(html).toContain('<section id="search"><h2>Search</h2>');
    expect(html).toContain('<h2>Configurations</h2>');
    const best = search.ranked[0]!;
    expect(html).toContain(`Best configuration: <strong>${configurationLabel(best.configuration.point, runKeys(run))}</strong> ` +
      `(suggestion ${best.configuration.suggestion}), test accuracy ${intervalText(best.score.score)}.`);
    // One dot per complete configuration and rung; one per configuration and parameter.
    expect(symbolCount(figureSvg(html, 'asha-rungs'), 'marks')).toBe(dots.length);
    expect(dots.length).toBe(s.configurations + s.promoted.size);
    const params = paramDots(search);
    expect(params.axes.get('train.learningRate')).toEqual(paramAxis(search.configurations.filter((c) => c.top).map((c) => c.point['train.learningRate'])));
    [...params.axes.keys()].forEach((param, i) => {
      expect(symbolCount(figureSvg(html, 'search-params'), `param_${i}_marks`)).toBe(search.configurations.filter((c) => c.top).length);
    });
    // The grid's charts that need a grid are not drawn.
    expect(html).not.toContain('id="chart-heatmap"');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('random search: progress and parameters, no rungs', async () => {
    const s = randomSearchLog(SEED);
    const html = readFileSync((await writeReport(searchRun(fixture, s))).file, 'utf8');
    for (const id of ['search-progress-epochs', 'search-progress-seconds', 'search-params']) expect(html).toContain(`<figure id="chart-${id}"><svg `);
    expect(html).not.toContain('chart-asha-rungs');
    expect(html).not.toContain('id="search-rungs"');
    // Each configuration's improvement is a dot on the step line.
    const run = loadRun(searchRun(fixture, s), process.cwd());
    expect(symbolCount(figureSvg(html, 'search-progress-epochs'), 'improved_marks')).toBe(progressRows(run.search!).filter((r) => r.improved).length);
  });

  it('a grid sweep: no search section, no search charts', async () => {
    const run = loadRun(fixture.dir, process.cwd());
    expect(run.search).toBeNull();
    const html = readFileSync((await writeReport(fixture.dir, { out: join(mkdtempSync(join(tmpdir(), 'tlx-report-grid-out-')), 'page.html') })).file, 'utf8');
    expect(html).not.toContain('id="search"');
    expect(html).not.toMatch(/chart-(search|asha)/);
    expect(html).toContain('<h2>Grid points</h2>');
  });
});
