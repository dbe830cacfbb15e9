import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { binomialUpperTail, CHANCE_ALPHA, chanceTest } from '../../src/indicators/chance.js';
import { ratioEstimate } from '../../src/indicators/statistics.js';

// docs/indicators.md states how the summary averages speed-ups; the statement and
// the code must agree: a geometric mean, its interval on the log scale.
it('docs/indicators.md describes the speed-up as the geometric mean the code computes', () => {
  const doc = readFileSync('docs/indicators.md', 'utf8');
  const paragraph = doc.slice(doc.indexOf('**speed-up (epochs)**'), doc.indexOf('**reached target**'));
  expect(paragraph).toMatch(/geometric mean/);
  expect(paragraph).toMatch(/2x and 0\.5x average to 1x/);
  expect(paragraph).toMatch(/interval of those logarithms/);
  const e = ratioEstimate([2, 0.5]);
  expect(e.mean).toBeCloseTo(1, 12);
  // Not symmetric around the mean: the log-scale interval mapped back.
  const r = ratioEstimate([1.5, 2, 4]);
  expect(r.mean).toBeCloseTo(Math.cbrt(1.5 * 2 * 4), 12);
  expect(r.mean - r.low!).not.toBeCloseTo(r.high! - r.mean, 3);
  expect(r.low! * r.high!).toBeCloseTo(r.mean * r.mean, 9);
});

// The chance rule as docs/indicators.md states it: level, test and worked example.
it('docs/indicators.md describes the chance test the code makes', () => {
  const doc = readFileSync('docs/indicators.md', 'utf8');
  const section = doc.slice(doc.indexOf('## At chance'), doc.indexOf('## Freeze sweeps'));
  expect(section).toMatch(/one-sided exact\s+binomial test/);
  expect(section).toContain(`is at least ${CHANCE_ALPHA}`);
  expect(section).toMatch(/330 correct \(0\.220\) is above chance \(p = 0\.0295\)/);
  expect(binomialUpperTail(330, 1500, 0.2).toFixed(4)).toBe('0.0295');
  expect(section).toMatch(/320 correct\s+\(0\.213\) is not \(p = 0\.105\)/);
  expect(binomialUpperTail(320, 1500, 0.2).toFixed(3)).toBe('0.105');
  expect(chanceTest([{ correct: 330, n: 1500, majority: 300 }])!.atChance).toBe(false);
  expect(chanceTest([{ correct: 320, n: 1500, majority: 300 }])!.atChance).toBe(true);
});
