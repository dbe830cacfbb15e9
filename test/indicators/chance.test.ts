import { describe, expect, it } from 'vitest';
import { binomialUpperTail, chanceTest, chanceVerdict, confusionCounts } from '../../src/indicators/chance.js';

// P(X >= k) for X ~ Binomial(n, p), summed exactly in rationals (Python fractions:
// sum of comb(n, j) p^j (1-p)^(n-j) for j = k..n) and rounded to float64.
const TAILS = [
  { name: '8 of 10 at 1/2: (45 + 10 + 1) / 1024', k: 8, n: 10, p: 0.5, expected: 0.0546875 },
  { name: '3 of 10 at 1/2: 1 - (1 + 10 + 45) / 1024 (below the mean)', k: 3, n: 10, p: 0.5, expected: 0.9453125 },
  { name: '9 of 20 at 1/5', k: 9, n: 20, p: 0.2, expected: 0.009981786320724296 },
  { name: '8 of 20 at 1/5', k: 8, n: 20, p: 0.2, expected: 0.03214266308087513 },
  { name: '1 of 20 at 1/5: 1 - 0.8^20', k: 1, n: 20, p: 0.2, expected: 0.9884707849539315 },
  { name: '0 of 20: certain', k: 0, n: 20, p: 0.2, expected: 1 },
  { name: '21 of 20: impossible', k: 21, n: 20, p: 0.2, expected: 0 },
  { name: '330 of 1500 at 1/5 (0.220: above chance at 0.05)', k: 330, n: 1500, p: 0.2, expected: 0.02950375202510393 },
  { name: '320 of 1500 at 1/5 (0.213: not above)', k: 320, n: 1500, p: 0.2, expected: 0.10471424031417545 },
  { name: '340 of 1500 at 1/5', k: 340, n: 1500, p: 0.2, expected: 0.005927275446466319 },
  { name: '250 of 1500 at 1/5 (below chance)', k: 250, n: 1500, p: 0.2, expected: 0.9995620931465503 },
  { name: '600 of 1500 at 1/5: far out in the tail, no underflow on the way', k: 600, n: 1500, p: 0.2, expected: 2.253237920010049e-70 },
  { name: '40 of 100 at 3/10 (an imbalanced majority rate)', k: 40, n: 100, p: 0.3, expected: 0.02098857600392468 },
  { name: '2950 of 10000 at 3/10', k: 2950, n: 10000, p: 0.3, expected: 0.8648384913139883 },
  { name: 'one class only (rate 1): nothing to learn', k: 7, n: 7, p: 1, expected: 1 },
];

describe('the one-sided binomial test against chance', () => {
  it.each(TAILS)('$name', ({ k, n, p, expected }) => {
    const tail = binomialUpperTail(k, n, p);
    if (expected === 0 || expected === 1) expect(tail).toBe(expected);
    else expect(Math.abs(tail - expected) / expected).toBeLessThan(1e-11);
  });

  it('a confusion matrix gives the correct answers, the test size and the majority class', () => {
    expect(confusionCounts([[5, 1, 0], [2, 2, 2], [0, 0, 3]])).toEqual({ correct: 10, n: 15, majority: 6 });
  });

  const CASES = [
    // 60 of 300 at 0.2 is exactly chance: p = P(X >= 60) > 0.5.
    { name: 'exactly the majority rate', counts: [{ correct: 60, n: 300, majority: 60 }], atChance: true },
    // 330 of 1500 at 0.2: p = 0.0295 < 0.05 (table above).
    { name: 'significantly above', counts: [{ correct: 330, n: 1500, majority: 300 }], atChance: false },
    // 320 of 1500: p = 0.105 >= 0.05.
    { name: 'above the rate but not significantly', counts: [{ correct: 320, n: 1500, majority: 300 }], atChance: true },
    // 3 repeats of 110 of 500 (p = 0.14 each): pooled 330 of 1500, p = 0.0295: the repeats together show learning.
    { name: 'repeats pooled: more examples, more power', counts: [1, 2, 3].map(() => ({ correct: 110, n: 500, majority: 100 })), atChance: false, repeatsAtChance: 3 },
    // 40 of 100 with a majority class of 30: p = 0.021.
    { name: 'imbalanced classes: against the majority rate, not 1/k', counts: [{ correct: 40, n: 100, majority: 30 }], atChance: false },
    { name: 'imbalanced: 0.33 beats 1/3 classes but not a majority of 0.35', counts: [{ correct: 33, n: 100, majority: 35 }], atChance: true },
  ];
  it.each(CASES)('$name', ({ counts, atChance, repeatsAtChance }) => {
    const t = chanceTest(counts)!;
    expect(t.atChance).toBe(atChance);
    expect(t.repeats).toBe(counts.length);
    if (repeatsAtChance != null) expect(t.repeatsAtChance).toBe(repeatsAtChance);
  });

  it('pooled repeats are tested as one binomial', () => {
    const t = chanceTest([{ correct: 110, n: 500, majority: 100 }, { correct: 220, n: 1000, majority: 200 }])!;
    expect([t.correct, t.n, t.chance]).toEqual([330, 1500, 0.2]);
    expect(Math.abs(t.p - 0.02950375202510393) / 0.02950375202510393).toBeLessThan(1e-11);
    expect(chanceTest([])).toBeNull();
    expect(chanceTest([{ correct: 0, n: 0, majority: 0 }])).toBeNull();
  });

  const at = chanceTest([{ correct: 60, n: 300, majority: 60 }]);
  const learned = chanceTest([{ correct: 270, n: 300, majority: 60 }]);
  const VERDICTS = [
    { name: 'both at chance', final: at, scratch: at, verdict: 'nothing learned', why: /final 0\.200 \(60\/300; chance 0\.200, p = 0\.5\d\) and scratch .*neither above chance/ },
    { name: 'scratch at chance', final: learned, scratch: at, verdict: 'scratch at chance', why: /^scratch 0\.200 .* not above chance; final 0\.900 \(270\/300; chance 0\.200, p < 0\.001\)$/ },
    { name: 'final at chance', final: at, scratch: learned, verdict: 'transfer at chance', why: /^final 0\.200 .* not above chance; scratch 0\.900/ },
    { name: 'final at chance, no scratch baseline', final: at, scratch: null, verdict: 'transfer at chance', why: /scratch not tested$/ },
  ];
  it.each(VERDICTS)('verdict: $name', ({ final, scratch, verdict, why }) => {
    const v = chanceVerdict(final, scratch)!;
    expect(v.verdict).toBe(verdict);
    expect(v.why).toMatch(why);
  });

  it('no chance verdict when both learned or nothing was tested', () => {
    expect(chanceVerdict(learned, learned)).toBeNull();
    expect(chanceVerdict(null, null)).toBeNull();
  });
});
