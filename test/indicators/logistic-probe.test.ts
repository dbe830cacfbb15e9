import { describe, expect, it } from 'vitest';
import { fitLogistic, inRowSpace, LOGISTIC_STRENGTHS, logisticObjective, logisticProbe, predictLogistic, type Standardized, standardize } from '../../src/indicators/logistic-probe.js';
import type { FeatureSet } from '../../src/indicators/probe.js';
import { randomInt, rng, testSeed } from '../support/random.js';

// The logistic probe against float64 by hand, on fresh random data each run: its
// gradient against central differences of its objective, its fit against the
// optimality condition of that objective written out again here, and its choice of
// strength against what the held-out data says.

/**
 * Samples of one task: class centres drawn once (or given, classes x width), `signal`
 * times them plus uniform noise in [-1, 1].
 */
function task(next: () => number, width: number, classes: number, signal: number, given?: number[]): (n: number) => FeatureSet {
  const centres = given ?? Array.from({ length: classes * width }, () => (next() - 0.5) * 2);
  return (n) => {
    const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
    const features = Float32Array.from({ length: n * width }, (_, k) => {
      const [i, j] = [Math.floor(k / width), k % width];
      return signal * centres[labels[i]! * width + j]! + (next() - 0.5) * 2;
    });
    return { features, width, labels, classes };
  };
}

function randomSet(next: () => number, n: number, width: number, classes: number, signal: number): FeatureSet {
  return task(next, width, classes, signal)(n);
}

/** The gradient of (1/n) Σ -log p(y_i | x_i) + (λ/2)‖W‖², written out directly. */
function gradientByHand(d: Standardized, classes: number, lambda: number, w: Float64Array, b: Float64Array): Float64Array {
  const g = new Float64Array(w.length + b.length);
  for (let i = 0; i < d.n; i++) {
    const z = Array.from({ length: classes }, (_, c) => b[c]! + Array.from({ length: d.width }, (_, j) => w[c * d.width + j]! * d.x[i * d.width + j]!).reduce((a, v) => a + v, 0));
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const sum = e.reduce((a, v) => a + v, 0);
    for (let c = 0; c < classes; c++) {
      const r = (e[c]! / sum - (d.labels[i] === c ? 1 : 0)) / d.n;
      for (let j = 0; j < d.width; j++) g[c * d.width + j]! += r * d.x[i * d.width + j]!;
      g[w.length + c]! += r;
    }
  }
  for (let k = 0; k < w.length; k++) g[k]! += lambda * w[k]!;
  return g;
}

const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

describe('logistic probe', () => {
  it('its gradient is the derivative of its objective (central differences)', () => {
    const seed = testSeed();
    const next = rng(seed);
    const classes = randomInt(next, 2, 5);
    const width = randomInt(next, 1, 6);
    const [d] = standardize(randomSet(next, randomInt(next, 5, 20), width, classes, 1));
    const lambda = 10 ** (next() * 4 - 3);
    const params = Float64Array.from({ length: (width + 1) * classes }, () => next() - 0.5);
    const grad = new Float64Array(params.length);
    logisticObjective(d!, classes, lambda, params, grad);
    const scratch = new Float64Array(params.length);
    for (let k = 0; k < params.length; k++) {
      const h = 1e-6;
      const up = Float64Array.from(params);
      const down = Float64Array.from(params);
      up[k]! += h;
      down[k]! -= h;
      const numeric = (logisticObjective(d!, classes, lambda, up, scratch) - logisticObjective(d!, classes, lambda, down, scratch)) / (2 * h);
      expect(grad[k]!, `seed ${seed}, parameter ${k}`).toBeCloseTo(numeric, 7);
    }
  });

  it.each([1e-3, 0.1, 3])('reaches the optimum at strength %s: the gradient written out by hand is 0 there', (lambda) => {
    const seed = testSeed();
    const next = rng(seed);
    const classes = randomInt(next, 2, 5);
    const [d] = standardize(randomSet(next, 60, randomInt(next, 3, 12), classes, 1));
    const fit = fitLogistic(d!, classes, lambda, { tolerance: 1e-9 });
    const g = gradientByHand(d!, classes, lambda, fit.weights, fit.bias);
    // Against the gradient at the start (all zeros): a million times smaller. The
    // fit stops earlier than its tolerance only where float64 can no longer
    // lower the objective, which leaves ~1e-7 at strong penalties.
    const start = gradientByHand(d!, classes, lambda, new Float64Array(fit.weights.length), new Float64Array(classes));
    expect(norm(g), `seed ${seed}: ${fit.iterations} iterations`).toBeLessThan(1e-6 * norm(start));
    // A start away from the optimum is worse: the objective is not flat.
    const moved = Float64Array.from([...fit.weights, ...fit.bias], (v) => v + 0.05);
    const at = Float64Array.from([...fit.weights, ...fit.bias]);
    const sink = new Float64Array(at.length);
    expect(logisticObjective(d!, classes, lambda, moved, sink)).toBeGreaterThan(logisticObjective(d!, classes, lambda, at, sink));
  });

  it('stronger regularisation shrinks the weights monotonically', () => {
    const seed = testSeed();
    const next = rng(seed);
    const [d] = standardize(randomSet(next, 40, 8, 3, 1));
    const norms = [1e-3, 1e-2, 1e-1, 1, 10].map((l) => norm(fitLogistic(d!, 3, l).weights));
    for (let i = 1; i < norms.length; i++) expect(norms[i]!, `seed ${seed}: ${norms.join(', ')}`).toBeLessThan(norms[i - 1]!);
  });

  it('chooses a strong penalty when most features are noise and labels are few, a weak one when data is plentiful and clean', () => {
    const seed = testSeed();
    const next = rng(seed);
    // 5 examples per class in 200 dimensions, a faint signal: the smallest penalty
    // overfits the training rows and held-out accuracy says so. One draw in ~300
    // has the smallest penalty win on its 300 validation rows by chance, so the
    // claim is made of 5 independent tasks: at least 4 choose a stronger penalty.
    const noisy = Array.from({ length: 5 }, () => {
      const few = task(next, 200, 3, 0.15);
      return logisticProbe(few(15), few(300), few(30)).lambda;
    });
    const stronger = noisy.filter((l) => l > LOGISTIC_STRENGTHS[0]!);
    expect(stronger.length, `seed ${seed}: ${noisy.join(', ')}`).toBeGreaterThanOrEqual(4);
    // One axis a class, 3 apart: the noise can never carry a row across the margin, so
    // every weak penalty is right on all held-out rows and the lowest loss decides.
    // (Random centres can fall close together; then a strong penalty is right to win.)
    const axes = Array.from({ length: 3 * 4 }, (_, k) => (k % 4 === Math.floor(k / 4) ? 1 : 0));
    const clean = task(next, 4, 3, 3, axes);
    const plenty = logisticProbe(clean(300), clean(150), clean(150));
    const accuracy = plenty.predicted.reduce((a, p, i) => a + (p === i % 3 ? 1 : 0), 0) / 150;
    expect(accuracy, `seed ${seed}`).toBeGreaterThan(0.9);
    expect(plenty.lambda, `seed ${seed}`).toBeLessThan(Math.min(...stronger));
  });

  it('without validation rows it chooses by cross-validation on the training rows', () => {
    const seed = testSeed();
    const next = rng(seed);
    const set = task(next, 6, 3, 2);
    const empty: FeatureSet = { features: new Float32Array(0), width: 6, labels: new Int32Array(0), classes: 3 };
    const test = set(90);
    const { predicted } = logisticProbe(set(90), empty, test);
    const accuracy = predicted.reduce((a, p, i) => a + (p === test.labels[i] ? 1 : 0), 0) / 90;
    expect(accuracy, `seed ${seed}`).toBeGreaterThan(0.6);
  });
});

describe('logistic probe with fewer rows than features', () => {
  it('fitted in the span of the training rows: the same objective value and predictions as in all dimensions', () => {
    const seed = testSeed();
    const next = rng(seed);
    const make = task(next, 60, 3, 0.5);
    const [train, test] = standardize(make(12), make(30));
    const [small, smallTest] = inRowSpace([train!, test!]);
    // Standardized rows sum to zero: 12 of them span 11 dimensions.
    expect(small!.width).toBe(11);
    for (const lambda of [1e-2, 1]) {
      const full = fitLogistic(train!, 3, lambda, { tolerance: 1e-10 });
      const reduced = fitLogistic(small!, 3, lambda, { tolerance: 1e-10 });
      const value = (d: Standardized, f: typeof full) => logisticObjective(d, 3, lambda, Float64Array.from([...f.weights, ...f.bias]), new Float64Array(f.weights.length + f.bias.length));
      expect(value(small!, reduced), `seed ${seed}`).toBeCloseTo(value(train!, full), 8);
      expect(Array.from(predictLogistic(reduced, smallTest!, 3)), `seed ${seed}`).toEqual(Array.from(predictLogistic(full, test!, 3)));
    }
  });
});
