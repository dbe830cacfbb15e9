import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { mergeRuns } from '../../src/results/merge.js';
import type { Manifest } from '../../src/results/manifest.js';
import { writeFixtureRun } from '../report/fixture.js';
import { thrown } from '../support/thrown.js';

const WASM = { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' };
const CPU = { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', version: '4.22.0' };

/** Two runs of the same experiment, the second's manifest and records changed by `edit`. */
function twoRuns(edit: { manifest?: Partial<Manifest['environment']['backend']>; records?: object }) {
  const root = mkdtempSync(join(tmpdir(), 'tlx-merge-'));
  const a = writeFixtureRun(join(root, 'a'), process.cwd()).dir;
  const b = writeFixtureRun(join(root, 'b'), process.cwd()).dir;
  const manifest = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8')) as Manifest;
  writeFileSync(join(b, 'manifest.json'), JSON.stringify({ ...manifest, environment: { ...manifest.environment, backend: { ...manifest.environment.backend, ...edit.manifest } } }));
  const lines = readFileSync(join(b, 'trials.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.stringify({ ...JSON.parse(l), ...edit.records }));
  writeFileSync(join(b, 'trials.jsonl'), `${lines.join('\n')}\n`);
  return { a, b, out: join(root, 'merged') };
}

describe('tlx merge and backends', () => {
  it.each([
    { name: 'another backend in the manifest', edit: { manifest: { ...CPU, kernelsAdded: [] } } },
    { name: 'another version of the same package', edit: { manifest: { version: '4.21.0' } } },
    { name: 'trial records computed on another backend', edit: { records: { backend: CPU } } },
  ])('refuses $name, saying how to keep them apart', ({ edit }) => {
    const { a, b, out } = twoRuns(edit);
    const error = thrown(() => mergeRuns([a, b], out));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('E_MERGE_BACKEND');
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(/computed with backend .*one run's numbers must come from one backend/);
    expect((error as UsageError).hint).toContain('--out DIR');
  });

  it('keeps the sources of every part, each once, in the manifest and summary.md', () => {
    const { a, b, out } = twoRuns({});
    const manifest = JSON.parse(readFileSync(join(b, 'manifest.json'), 'utf8')) as Manifest;
    const other = { ...manifest.sources![0]!, key: 'pretrain-other' };
    writeFileSync(join(b, 'manifest.json'), JSON.stringify({ ...manifest, sources: [...manifest.sources!, other] }));
    mergeRuns([a, b], out);
    const merged = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(merged.sources!.map((s) => s.key)).toEqual(['pretrain-0f1e2d3c', 'pretrain-other']);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('| pretrain-other | 5 |');
  });

  it('merges runs of the same backend, with or without per-trial records of it', () => {
    const { a, b, out } = twoRuns({ records: { backend: WASM } });
    expect(mergeRuns([a, b], out).trials).toBe(18);
  });
});
