import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
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
