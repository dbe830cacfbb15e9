/**
 * Seeded randomness. tlx's results must be the same on every machine for the same
 * seed, so nothing draws from an unseeded source.
 */

/** A seeded generator whose position can be read and set: a checkpoint resumes its stream where it was. */
export interface SeededRandom {
  (): number;
  state: number;
}

/** mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.defineProperty(next, 'state', { get: () => a, set: (v: number) => { a = v >>> 0; } }) as SeededRandom;
}

/** Math.random's generator when a task has seeded it (withSeededMathRandom), else undefined. */
export function seededMathRandom(): SeededRandom | undefined {
  const r = Math.random as Partial<SeededRandom>;
  return typeof r.state === 'number' ? (r as SeededRandom) : undefined;
}

/** A seed derived from a base seed and a label, so streams for different purposes differ. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[] | Int32Array, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/**
 * Runs `f` with Math.random replaced by a seeded generator. TensorFlow.js seeds
 * weight initialisers, dropout and shuffling from Math.random when no seed is
 * given, so this makes a whole training run reproducible. Only for code that runs
 * alone in its thread (a worker runs one task at a time).
 */
export async function withSeededMathRandom<T>(seed: number, f: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = seededRandom(seed);
  try {
    return await f();
  } finally {
    Math.random = original;
  }
}
