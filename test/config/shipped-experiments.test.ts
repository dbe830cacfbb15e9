import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { planTrials } from '../../src/plan/trials.js';

const files = readdirSync('experiments').filter((f) => f.endsWith('.yaml'));

describe.each(files)('experiments/%s', (file) => {
  it('validates, plans, and points editors at the schema', () => {
    const loaded = loadExperiment(`experiments/${file}`);
    expect(planTrials(loaded.raw).length).toBeGreaterThan(0);
    expect(readFileSync(`experiments/${file}`, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/experiment.schema.json');
  });

  it('has a header: question, source, target, expected outcome, run time, result', () => {
    const header = readFileSync(`experiments/${file}`, 'utf8').split('\n').filter((l) => l.startsWith('#')).join('\n');
    for (const part of ['# Question:', '# Source:', 'Target:', '# Expected outcome', '# Run time', '# Result:']) expect(header).toContain(part);
  });
});
