import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { need } from '../support/optional.js';
import { type Fixture, writeFixtureRun } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const chromiumNeed = need(CHROMIUM, existsSync(CHROMIUM), 'apt-get install chromium');
const BIN = join(process.cwd(), 'dist/src/cli/bin.js');
const SCREENSHOT = join(process.cwd(), 'test-output', 'report.png');

// Opened as a user would: the built CLI writes the report of a run with a failed and
// a diverged trial, headless Chromium (Debian's; .ci/run installs it) shows it.
describe.runIf(chromiumNeed.available)(`report.html in headless Chromium ${chromiumNeed.label}`, () => {
  let fixture: Fixture;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    expect(existsSync(BIN), 'run npm run build first').toBe(true);
    fixture = writeFixtureRun(mkdtempSync(join(tmpdir(), 'tlx-browser-')), process.cwd());
    await promisify(execFile)('node', [BIN, 'report', fixture.dir]);
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(fixture.dir, 'report.html')).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const marks = (chart: string, name: string) => page.locator(`#chart-${chart} svg g.${name}_marks > *`).count();

  it('opens offline with no console errors, and a screenshot is saved', async () => {
    mkdirSync(join(process.cwd(), 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.locator('h1').textContent()).toBe('mnist-digits');
  });

  it('draws each chart with the marks its data calls for', async () => {
    const ok = fixture.records.filter((r) => r.status !== 'failed');
    // 3 freeze depths x 2 learning rates: 6 panels, a transfer and a scratch line and band in each.
    for (const chart of ['curves-epochs', 'curves-seconds']) {
      expect(await marks(chart, 'mean')).toBe(12);
      expect(await marks(chart, 'band')).toBe(12);
      expect(await marks(chart, 'target')).toBe(6);
      const reached = ok.reduce((n, r) => n + (r.indicators?.timeToTarget?.transfer ? 1 : 0) + (r.indicators?.timeToTarget?.scratch ? 1 : 0), 0);
      expect(await marks(chart, 'crossing')).toBe(reached);
    }
    // Transferability: a point and an interval per grid point; one line and one scratch
    // reference per learning rate; one transfer-only reference.
    expect(await marks('transferability', 'final')).toBe(6);
    expect(await marks('transferability', 'interval')).toBe(6);
    expect(await marks('transferability', 'depth_line')).toBe(2);
    expect(await marks('transferability', 'scratch')).toBe(2);
    expect(await marks('transferability', 'transfer_only')).toBe(1);
    // Heatmap: freeze x learning rate; confusion: 5 x 5 target classes.
    expect(await marks('heatmap', 'cell')).toBe(6);
    expect(await marks('heatmap', 'cell_text')).toBe(6);
    expect(await marks('confusion', 'cell')).toBe(25);
    expect(await marks('confusion', 'count')).toBe(25);
    for (const id of ['curves-epochs', 'curves-seconds', 'transferability', 'heatmap', 'confusion']) {
      expect(await page.locator(`#chart-${id} svg`).isVisible()).toBe(true);
    }
  });

  it('shows the failed and the diverged trial as such', async () => {
    const failed = fixture.records.find((r) => r.status === 'failed')!;
    const diverged = fixture.records.find((r) => r.status === 'diverged')!;
    const row = (trial: string) => page.locator('#trials-table tbody tr', { hasText: trial });
    expect(await page.locator('#trials-table tbody tr').count()).toBe(18);
    expect(await row(failed.trial).locator('.status').textContent()).toBe('failed');
    expect(await row(failed.trial).textContent()).toContain('worker exited with code 134');
    expect(await row(diverged.trial).locator('.status').textContent()).toBe('diverged');
    expect(await page.locator('#grid-table tbody tr').count()).toBe(6);
    expect(await page.locator('#grid-table .problem').allTextContents()).toEqual(expect.arrayContaining(['(1 failed)', '(1 diverged)']));
  });

  it('unfolds every metric and the time-to-target details', async () => {
    expect(await page.locator('#metrics-table').isVisible()).toBe(false);
    await page.locator('#details summary').click();
    // 6 grid points x 2 metrics (accuracy, macroF1); time-to-target for each grid point.
    expect(await page.locator('#metrics-table tbody tr').count()).toBe(12);
    expect(await page.locator('#target-table tbody tr').count()).toBe(6);
  });

  it('sorts the grid table by a column and marks the best final score', async () => {
    // Best final: the grid point with the highest mean test accuracy over its non-failed repeats.
    const byPoint = new Map<string, number[]>();
    for (const r of fixture.records) if (r.status !== 'failed') byPoint.set(r.pointId, [...(byPoint.get(r.pointId) ?? []), r.test!.accuracy!]);
    const means = [...byPoint.values()].map((v) => v.reduce((a, b) => a + b) / v.length);
    const column = 3; // grid point, repeats, transfer-only, final
    const finals = async () => (await page.locator(`#grid-table tbody tr td:nth-child(${column + 1})`).evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value')))));
    const best = page.locator(`#grid-table tbody td:nth-child(${column + 1}).best`);
    expect(await best.count()).toBe(1);
    expect(Number(await best.getAttribute('data-value'))).toBeCloseTo(Math.max(...means), 12);
    const heading = page.locator(`#grid-table thead th:nth-child(${column + 1})`);
    expect(await heading.textContent()).toBe('final');
    await heading.getByRole('button').click();
    expect(await heading.getAttribute('aria-sort')).toBe('ascending');
    expect(await finals()).toEqual([...means].sort((a, b) => a - b).map((m) => expect.closeTo(m, 12)));
    await heading.getByRole('button').click();
    expect(await heading.getAttribute('aria-sort')).toBe('descending');
    expect(await finals()).toEqual([...means].sort((a, b) => b - a).map((m) => expect.closeTo(m, 12)));
  });
});
