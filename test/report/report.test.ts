import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { chanceTest, confusionCounts } from '../../src/indicators/chance.js';
import { loadRun } from '../../src/report/load-run.js';
import { reportCharts } from '../../src/report/report-charts.js';
import { writeReport } from '../../src/report/write-report.js';
import { type Fixture, writeFixtureRun } from './fixture.js';

function context(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd };
  return { ctx, out: () => out.join(''), err: () => err.join('') };
}

describe('tlx report on a run folder', () => {
  let fixture: Fixture;
  beforeAll(() => {
    fixture = writeFixtureRun(mkdtempSync(join(tmpdir(), 'tlx-report-')), process.cwd());
  });

  it('reads the run: grid order, class names, the experiment file\'s question', () => {
    const run = loadRun(fixture.dir, process.cwd());
    // The grid of mnist-digits.yaml, first key slowest, whatever order the trials finished in.
    expect(run.summary.map((s) => [s.point['transfer.freeze'], s.point['train.learningRate']]))
      .toEqual([['all', 0.001], ['all', 0.0003], [1, 0.001], [1, 0.0003], ['none', 0.001], ['none', 0.0003]]);
    expect(run.classNames).toEqual(['5', '6', '7', '8', '9']);
    expect(run.notes).toMatch(/^Question: do convolutional features/);
    expect(run.summary.map((s) => [s.failed, s.diverged]).flat().reduce((a, b) => a + b)).toBe(2);
  });

  it('charts what the grid calls for', () => {
    const run = loadRun(fixture.dir, process.cwd());
    const ids = (grid: Record<string, unknown[]>) => reportCharts({ ...run, manifest: { ...run.manifest, config: { ...run.manifest.config, grid } } }).map((c) => c.id);
    expect(ids(run.manifest.config.grid as Record<string, unknown[]>)).toEqual(['curves-epochs', 'curves-seconds', 'transferability', 'heatmap', 'confusion']);
    // Only the learning rate varies: no freeze depth to plot, no second axis for a heatmap.
    expect(ids({ 'transfer.freeze': ['all'], 'train.learningRate': [0.001, 0.0003] })).toEqual(['curves-epochs', 'curves-seconds', 'confusion']);
    // Three parameters vary: the depth curve still, but no single heatmap.
    expect(ids({ 'transfer.freeze': ['all', 1, 'none'], 'train.learningRate': [0.001, 0.0003], 'train.batchSize': [32, 64] }))
      .toEqual(['curves-epochs', 'curves-seconds', 'transferability', 'confusion']);
  });

  it('writes one self-contained page and, with --png, a PNG per chart', async () => {
    const c = context(process.cwd());
    expect(await main(['report', fixture.dir, '--png'], c.ctx)).toBe(0);
    expect(c.out()).toMatch(/^report: .*report\.html\n(chart: .*\.png\n){5}$/);
    const html = readFileSync(join(fixture.dir, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(5);
    // Nothing fetched: no external scripts, styles, images or fonts.
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\((?!#)|@import/); // url(#gradient_0): an SVG's own gradient
    // Inline SVGs share the page's id space: no id twice.
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['curves-epochs', 'curves-seconds', 'transferability', 'heatmap', 'confusion']) {
      const svgWidth = Number(html.match(new RegExp(`id="chart-${id}"><svg [^>]*width="(\\d+)"`))![1]);
      const png = await sharp(readFileSync(join(fixture.dir, 'charts', `${id}.png`))).metadata();
      expect(png.format).toBe('png');
      expect(png.width).toBe(svgWidth * 2); // drawn at 144 dpi
    }
  });

  it('shows the source\'s own scores and pretraining curve; no chance warning when everything learned', async () => {
    const html = readFileSync((await writeReport(fixture.dir, { out: join(mkdtempSync(join(tmpdir(), 'tlx-report-src-')), 'page.html') })).file, 'utf8');
    expect(html).toContain('<section id="source"><h2>Source model</h2>');
    // The fixture's confusion matrix at 0.95: 57 right and 1 wrong in each other column, rows of 61: 285/305.
    const table = html.slice(html.indexOf('<table class="sortable" id="source-table">'), html.indexOf('id="source-curve-0"'));
    expect(table).toContain('<td>pretrain-0f1e2d3c</td><td>5</td><td>accuracy 0.950, macroF1 0.949</td><td>0.934 (285/305; chance 0.200, p &#60; 0.001)</td><td>no</td>');
    expect(html).toContain('id="source-curve-0"');
    expect(html).not.toContain('id="at-chance"');
  });

  it('a run where nothing learned: the page says so above everything, with the numbers', async () => {
    // Every model of the fixture at 0.2 (60 of 300: the majority rate of 5 balanced classes), the source too.
    const dir = mkdtempSync(join(tmpdir(), 'tlx-report-chance-'));
    const at = { accuracy: 0.2, macroF1: 0.2 };
    const confusionAt = [[12, 12, 12, 12, 12], [12, 12, 12, 12, 12], [12, 12, 12, 12, 12], [12, 12, 12, 12, 12], [12, 12, 12, 12, 12]];
    const records = fixture.records.map((r) => (r.status === 'failed' ? r : {
      ...r, test: at, confusion: confusionAt, scratch: { ...r.scratch!, test: at },
      indicators: { ...r.indicators, transferOnly: { probe: 'linear' as const, test: at } }, source: 'pretrain-0f1e2d3c',
    }));
    const source = { ...fixture.manifest.sources![0]!, test: at, confusion: confusionAt, chance: chanceTest([confusionCounts(confusionAt)]) };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...fixture.manifest, sources: [source] }));
    writeFileSync(join(dir, 'trials.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const html = readFileSync((await writeReport(dir)).file, 'utf8');
    expect(html).toContain('<div class="chance" id="at-chance" role="alert"><strong>Nothing learned: these models are not above chance</strong>');
    expect(html).toContain('<li>source pretrain-0f1e2d3c learned nothing: test accuracy 0.200 (60/300; chance 0.200, p = 0.52)</li>');
    expect(html).toMatch(/<li>transfer\.freeze=&#34;all&#34; train\.learningRate=0\.001: at chance: final 0\.200 \(\d+\/\d+; chance 0\.200, p = 0\.5\d, \d repeats pooled\); scratch .*; transfer-only .*<\/li>/);
    expect(html.match(/<span class="verdict chance">nothing learned<\/span>/g)).toHaveLength(6);
    expect(html).toContain('0 positive');
    expect(html).toContain(', 6 nothing learned of 6 grid points');
    expect(html.indexOf('id="at-chance"')).toBeLessThan(html.indexOf('id="setup"'));
  });

  it('--out puts the page elsewhere', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'tlx-report-out-')), 'page.html');
    const outcome = await writeReport(fixture.dir, { out });
    expect(outcome.file).toBe(out);
    expect(readFileSync(out, 'utf8')).toContain('<h1>mnist-digits</h1>');
  });

  it('a run with no finished trial yet: the page says so, without charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-report-empty-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...fixture.manifest, status: 'running', finishedAt: null }));
    const outcome = await writeReport(dir);
    expect(outcome.charts).toEqual([]);
    const html = readFileSync(outcome.file, 'utf8');
    expect(html).toContain('No trial has finished yet.');
    expect(html).toContain('(not finished: the numbers cover the trials done so far)');
  });

  it.each([
    { name: 'a missing folder', arg: 'no/such/run', err: 'tlx: no/such/run: no such folder' },
    { name: 'a folder without manifest.json', arg: '.', err: 'not a run folder (no manifest.json)' },
    { name: 'the experiment file instead of its run', arg: 'experiments/mnist-digits.yaml', err: 'takes the run folder' },
    { name: 'no argument', arg: null, err: 'missing the run folder' },
  ])('$name: exit 2, a message, no stack', async ({ arg, err }) => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-report-bad-'));
    mkdirSync(join(dir, 'experiments'));
    writeFileSync(join(dir, 'experiments', 'mnist-digits.yaml'), 'name: x\n');
    const c = context(dir);
    expect(await main(['report', ...(arg ? [arg] : [])], c.ctx)).toBe(2);
    expect(c.err()).toContain(err);
    expect(c.err()).not.toMatch(/\n\s+at /);
  });
});
