import { seededRandom } from '../../src/random.js';

/**
 * Seeded random numbers for tests. Each run draws a fresh seed (tests see new inputs
 * every time) unless TLX_TEST_SEED is set, and the seed is part of failure messages
 * so a failing case can be replayed.
 */
export function testSeed(): number {
  const fixed = process.env.TLX_TEST_SEED;
  return fixed ? Number(fixed) : Math.floor(Math.random() * 2 ** 31);
}

export const rng = seededRandom;

export function randomInt(next: () => number, lo: number, hi: number): number {
  return lo + Math.floor(next() * (hi - lo + 1));
}

export function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

/** Uniform in [-1, 1): never all zeros, so a kernel that ignores its input fails. */
export function randomArray(next: () => number, size: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = next() * 2 - 1;
  return out;
}

/** ||a - b|| / ||b||, the error measure the gradient tests bound. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    diff += d * d;
    norm += (b[i] ?? 0) ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
}
