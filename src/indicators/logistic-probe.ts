import type { FeatureSet } from './probe.js';

// L2-regularised multinomial logistic regression on standardized features, the
// linear probe of Kornblith, Shlens and Le (2019, "Do better ImageNet models
// transfer better?"): the strength is chosen on held-out data, then the model is
// refitted on everything labelled. Fitted to convergence by L-BFGS in float64, so
// the result is the unique optimum of a convex objective, not wherever an
// optimizer stopped.

/** Strengths tried, log-spaced (λ in the objective below). */
export const LOGISTIC_STRENGTHS: readonly number[] = Array.from({ length: 17 }, (_, i) => 10 ** (-6 + i * 0.5));

export interface LogisticFit {
  /** classes x width, row-major. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  readonly iterations: number;
  /** Norm of the gradient at the end (the optimum has 0). */
  readonly gradientNorm: number;
}

/** Rows standardized with the mean and standard deviation of `fit` (plus 1e-6). */
export interface Standardized {
  readonly x: Float64Array;
  readonly n: number;
  readonly width: number;
  readonly labels: Int32Array;
}

export function standardize(fit: FeatureSet, ...sets: FeatureSet[]): Standardized[] {
  const { width } = fit;
  const n = fit.labels.length;
  const mean = new Float64Array(width);
  const sd = new Float64Array(width);
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) mean[j]! += fit.features[i * width + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < width; j++) sd[j]! += (fit.features[i * width + j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < width; j++) sd[j] = Math.sqrt(sd[j]!) + 1e-6;
  return [fit, ...sets].map((s) => {
    const rows = s.labels.length;
    const x = new Float64Array(rows * width);
    for (let i = 0; i < rows; i++) for (let j = 0; j < width; j++) x[i * width + j] = (s.features[i * width + j]! - mean[j]!) / sd[j]!;
    return { x, n: rows, width, labels: s.labels };
  });
}

/**
 * The objective (1/n) Σ -log softmax(W x_i + b)[y_i] + (λ/2)‖W‖² (the bias is not
 * penalised) and its gradient, both written into `grad` (W then b).
 */
export function logisticObjective(data: Standardized, classes: number, lambda: number, params: Float64Array, grad: Float64Array): number {
  const { x, n, width, labels } = data;
  const bias = width * classes;
  grad.fill(0);
  const logits = new Float64Array(classes);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let top = -Infinity;
    for (let c = 0; c < classes; c++) {
      let z = params[bias + c]!;
      for (let j = 0; j < width; j++) z += params[c * width + j]! * x[i * width + j]!;
      logits[c] = z;
      if (z > top) top = z;
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[c]! - top);
    const logSum = top + Math.log(sum);
    loss += logSum - logits[labels[i]!]!;
    for (let c = 0; c < classes; c++) {
      const d = (Math.exp(logits[c]! - logSum) - (c === labels[i] ? 1 : 0)) / n;
      grad[bias + c]! += d;
      if (d !== 0) for (let j = 0; j < width; j++) grad[c * width + j]! += d * x[i * width + j]!;
    }
  }
  let penalty = 0;
  for (let k = 0; k < bias; k++) {
    penalty += params[k]! ** 2;
    grad[k]! += lambda * params[k]!;
  }
  return loss / n + (lambda / 2) * penalty;
}

/** Minimises the objective by L-BFGS (memory 10) with a backtracking Armijo line search. */
export function fitLogistic(data: Standardized, classes: number, lambda: number, options: { maxIterations?: number; tolerance?: number } = {}): LogisticFit {
  const { maxIterations = 500, tolerance = 1e-7 } = options;
  const size = (data.width + 1) * classes;
  let params = new Float64Array(size);
  let grad = new Float64Array(size);
  let value = logisticObjective(data, classes, lambda, params, grad);
  const memory: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  let iterations = 0;
  for (; iterations < maxIterations && norm(grad) > tolerance; iterations++) {
    const direction = twoLoop(grad, memory);
    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      memory.length = 0;
      for (let k = 0; k < size; k++) direction[k] = -grad[k]!;
      slope = -dot(grad, grad);
    }
    let step = iterations === 0 ? Math.min(1, 1 / norm(grad)) : 1;
    const next = new Float64Array(size);
    const nextGrad = new Float64Array(size);
    let nextValue = Infinity;
    for (let tries = 0; tries < 60; tries++, step /= 2) {
      for (let k = 0; k < size; k++) next[k] = params[k]! + step * direction[k]!;
      nextValue = logisticObjective(data, classes, lambda, next, nextGrad);
      if (nextValue <= value + 1e-4 * step * slope) break;
    }
    if (!(nextValue < value)) break; // no decrease possible at float64 precision
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      s[k] = next[k]! - params[k]!;
      y[k] = nextGrad[k]! - grad[k]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      memory.push({ s, y, rho: 1 / sy });
      if (memory.length > 10) memory.shift();
    }
    [params, grad, value] = [next, nextGrad, nextValue];
  }
  return { weights: params.slice(0, data.width * classes), bias: params.slice(data.width * classes), iterations, gradientNorm: norm(grad) };
}

/** The L-BFGS direction -H·g from the stored curvature pairs. */
function twoLoop(grad: Float64Array, memory: readonly { s: Float64Array; y: Float64Array; rho: number }[]): Float64Array {
  const q = Float64Array.from(grad);
  const alphas: number[] = [];
  for (let m = memory.length - 1; m >= 0; m--) {
    const { s, y, rho } = memory[m]!;
    const a = rho * dot(s, q);
    alphas[m] = a;
    for (let k = 0; k < q.length; k++) q[k]! -= a * y[k]!;
  }
  const last = memory.at(-1);
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1;
  for (let k = 0; k < q.length; k++) q[k]! *= gamma;
  for (let m = 0; m < memory.length; m++) {
    const { s, y, rho } = memory[m]!;
    const b = rho * dot(y, q);
    for (let k = 0; k < q.length; k++) q[k]! += (alphas[m]! - b) * s[k]!;
  }
  for (let k = 0; k < q.length; k++) q[k] = -q[k]!;
  return q;
}

/** The most probable class of each row. */
export function predictLogistic(fit: LogisticFit, data: Standardized, classes: number): Int32Array {
  const { x, n, width } = data;
  return Int32Array.from({ length: n }, (_, i) => {
    let [best, bestZ] = [0, -Infinity];
    for (let c = 0; c < classes; c++) {
      let z = fit.bias[c]!;
      for (let j = 0; j < width; j++) z += fit.weights[c * width + j]! * x[i * width + j]!;
      if (z > bestZ) [best, bestZ] = [c, z];
    }
    return best;
  });
}

/**
 * The rows in coordinates of an orthonormal basis of the first set's rows (modified
 * Gram-Schmidt), when there are fewer rows than features. The penalised optimum's
 * weights lie in the span of the training rows (the representer theorem), so the
 * fit in these coordinates has the same logits, the same penalty and the same
 * predictions as the fit in all dimensions, at a fraction of the cost: 20 rows of
 * 1,280 features become 20 coordinates.
 */
export function inRowSpace(sets: readonly Standardized[]): Standardized[] {
  const fit = sets[0]!;
  if (fit.n >= fit.width) return [...sets];
  const { width } = fit;
  const basis: Float64Array[] = [];
  for (let i = 0; i < fit.n; i++) {
    const v = fit.x.slice(i * width, (i + 1) * width);
    const original = Math.sqrt(dot(v, v));
    for (const q of basis) {
      const p = dot(q, v);
      for (let j = 0; j < width; j++) v[j]! -= p * q[j]!;
    }
    const length = Math.sqrt(dot(v, v));
    if (length <= 1e-9 * Math.max(original, 1e-300)) continue;
    for (let j = 0; j < width; j++) v[j]! /= length;
    basis.push(v);
  }
  return sets.map((s) => {
    const x = new Float64Array(s.n * basis.length);
    for (let i = 0; i < s.n; i++) {
      const row = s.x.subarray(i * width, (i + 1) * width);
      basis.forEach((q, k) => (x[i * basis.length + k] = dot(q, row)));
    }
    return { x, n: s.n, width: basis.length, labels: s.labels };
  });
}

/**
 * The strength with the best accuracy on the validation rows (ties broken by the
 * lower validation cross-entropy), then the probe refitted at that strength on
 * training and validation rows together, and its predictions for the test rows.
 * Without validation rows the strength is chosen by 3-fold cross-validation on
 * training.
 */
export function logisticProbe(train: FeatureSet, validation: FeatureSet, test: FeatureSet): { predicted: Int32Array; lambda: number } {
  const { classes } = train;
  const held = validation.labels.length > 0 ? [{ fit: train, score: validation }] : folds(train, 3);
  const heldOut = (lambda: number) => held.reduce((total, { fit, score }) => {
    const [a, b] = inRowSpace(standardize(fit, score));
    const result = fitLogistic(a!, classes, lambda);
    const predicted = predictLogistic(result, b!, classes);
    return {
      correct: total.correct + predicted.reduce((n, p, i) => n + (p === b!.labels[i] ? 1 : 0), 0),
      loss: total.loss + crossEntropy(result, b!, classes),
    };
  }, { correct: 0, loss: 0 });
  let [lambda, best] = [LOGISTIC_STRENGTHS[0]!, { correct: -1, loss: Infinity }];
  for (const candidate of LOGISTIC_STRENGTHS) {
    const score = heldOut(candidate);
    if (score.correct > best.correct || (score.correct === best.correct && score.loss < best.loss)) [lambda, best] = [candidate, score];
  }
  const all = concat(train, validation);
  const [a, t] = inRowSpace(standardize(all, test));
  return { predicted: predictLogistic(fitLogistic(a!, classes, lambda), t!, classes), lambda };
}

/** Σ -log p(y_i | x_i) of a fit on rows (no penalty). */
function crossEntropy(fit: LogisticFit, data: Standardized, classes: number): number {
  const params = new Float64Array(fit.weights.length + fit.bias.length);
  params.set(fit.weights);
  params.set(fit.bias, fit.weights.length);
  return logisticObjective(data, classes, 0, params, new Float64Array(params.length)) * data.n;
}

function concat(a: FeatureSet, b: FeatureSet): FeatureSet {
  const features = new Float32Array(a.features.length + b.features.length);
  features.set(a.features);
  features.set(b.features, a.features.length);
  const labels = new Int32Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  return { features, width: a.width, labels, classes: a.classes };
}

/** k folds of a set, rows dealt round-robin (the set is already shuffled by its split). */
function folds(set: FeatureSet, k: number): { fit: FeatureSet; score: FeatureSet }[] {
  const pick = (keep: (i: number) => boolean): FeatureSet => {
    const rows = Array.from({ length: set.labels.length }, (_, i) => i).filter(keep);
    const features = new Float32Array(rows.length * set.width);
    rows.forEach((r, i) => features.set(set.features.subarray(r * set.width, (r + 1) * set.width), i * set.width));
    return { features, width: set.width, labels: Int32Array.from(rows, (r) => set.labels[r]!), classes: set.classes };
  };
  return Array.from({ length: Math.min(k, set.labels.length) }, (_, f) => ({ fit: pick((i) => i % k !== f), score: pick((i) => i % k === f) }));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
