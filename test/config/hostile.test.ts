import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/config/file-text.js';
import { loadExperiment } from '../../src/config/load.js';
import { MAX_DEPTH, MAX_VALUES } from '../../src/config/yaml-limits.js';
import { MAX_TRIALS } from '../../src/plan/grid.js';
import { formatCount } from '../../src/quote.js';
import { ConfigError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';
import { HOSTILE, writeCase } from './hostile-files.js';

describe('hostile experiment files are refused early, at a position, saying what is wrong', () => {
  it.each(HOSTILE)('$name', (c) => {
    const dir = mkdtempSync(join(tmpdir(), 'tlx-hostile-'));
    const error = thrown(() => loadExperiment(writeCase(dir, c), dir));
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues, JSON.stringify(issues, null, 1)).toHaveLength(1);
    const [issue] = issues;
    expect(issue!.message).toMatch(c.message);
    expect(issue).toMatchObject({ code: c.code, path: c.path ?? '', position: { file: 'case.yaml', line: c.line, col: c.col } });
    expect((error as ConfigError).exitCode).toBe(2);
  });
});

it('the experiment-file page states the limits tlx applies', () => {
  const page = readFileSync('docs/experiment-file.md', 'utf8').replace(/\s+/g, ' ');
  expect(page).toContain(`at most ${MAX_FILE_BYTES / 2 ** 20} MiB`);
  expect(page).toContain(`nest at most ${MAX_DEPTH} levels`);
  expect(page).toContain(`up to ${formatCount(MAX_VALUES)} values`);
  expect(page).toContain(`at most ${formatCount(MAX_TRIALS)} trials`);
});
