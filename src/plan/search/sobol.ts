import { deriveSeed, seededRandom } from '../../random.js';
import type { GridPoint } from '../grid.js';
import { type Dimension, pointAtFractions, spaceSize } from './space.js';
import { affordableOr, type EpochsOf, pointIdOf, type Strategy } from './strategy.js';

/**
 * Primitive polynomials and initial direction numbers of Joe and Kuo (2008,
 * new-joe-kuo-6.21201) for dimensions 2 to 16: [degree s, coefficients a, m_1..m_s].
 * Dimension 1 is van der Corput's sequence.
 */
const DIRECTIONS: readonly (readonly [number, number, readonly number[]])[] = [
  [1, 0, [1]], [2, 1, [1, 3]], [3, 1, [1, 3, 1]], [3, 2, [1, 1, 1]], [4, 1, [1, 1, 3, 3]],
  [4, 4, [1, 3, 5, 13]], [5, 2, [1, 1, 5, 5, 17]], [5, 4, [1, 1, 5, 5, 5]], [5, 7, [1, 1, 7, 11, 19]],
  [5, 11, [1, 1, 5, 1, 1]], [5, 13, [1, 1, 1, 3, 11]], [5, 14, [1, 3, 5, 5, 31]], [6, 1, [1, 3, 3, 9, 7, 49]],
  [6, 13, [1, 1, 1, 15, 21, 21]], [6, 16, [1, 3, 1, 13, 27, 49]],
];

/** The most parameters a Sobol search takes (the direction numbers above). */
export const SOBOL_MAX_DIMENSIONS = DIRECTIONS.length + 1;

const BITS = 30;

const computed = new Map<number, Uint32Array[]>();

/** Direction integers V_1..V_BITS of each dimension, scaled to BITS bits (computed once per dimension count). */
function directionIntegers(dims: number): Uint32Array[] {
  const known = computed.get(dims);
  if (known) return known;
  const all = Array.from({ length: dims }, (_, j) => {
    const v = new Uint32Array(BITS + 1);
    if (j === 0) {
      for (let k = 1; k <= BITS; k++) v[k] = 1 << (BITS - k);
      return v;
    }
    const [s, a, m] = DIRECTIONS[j - 1]!;
    for (let k = 1; k <= s; k++) v[k] = m[k - 1]! << (BITS - k);
    for (let k = s + 1; k <= BITS; k++) {
      let x = v[k - s]! ^ (v[k - s]! >>> s);
      for (let i = 1; i < s; i++) if (((a >>> (s - 1 - i)) & 1) === 1) x ^= v[k - i]!;
      v[k] = x;
    }
    return v;
  });
  computed.set(dims, all);
  return all;
}

/**
 * Point `index` (from 0) of the Sobol sequence in `dims` dimensions, each
 * coordinate XORed with a shift drawn from `seed` (a random digital shift: the
 * sequence keeps its evenness, and a different seed gives a different one; seed
 * undefined gives the plain sequence, whose point 0 is the origin).
 */
export function sobolPoint(dims: number, index: number, seed?: number): number[] {
  const v = directionIntegers(dims);
  const random = seed == null ? undefined : seededRandom(deriveSeed(seed, 'sobol-shift'));
  const gray = index ^ (index >>> 1);
  return v.map((dir) => {
    let x = 0;
    for (let k = 1, bits = gray; bits > 0; k++, bits >>>= 1) if ((bits & 1) === 1) x ^= dir[k]!;
    const shift = random == null ? 0 : Math.floor(random() * 2 ** BITS);
    return ((x ^ shift) >>> 0) / 2 ** BITS;
  });
}

/**
 * A shifted Sobol sequence mapped onto the space. Where the space is discrete,
 * sequence points that land on a configuration already proposed are passed over,
 * so the k-th suggestion is the k-th new configuration along the sequence.
 */
export function sobolStrategy(dims: readonly Dimension[], seed: number, epochs: EpochsOf): Strategy {
  const order: GridPoint[] = [];
  const seen = new Set<string>();
  let position = 0;
  // The distinct configurations in sequence order, walked as far as asked.
  const kth = (k: number): GridPoint | undefined => {
    const limit = position + (k + 1) * 1000;
    while (order.length <= k && position < limit) {
      const point = pointAtFractions(dims, sobolPoint(dims.length, position++, seed));
      const id = pointIdOf(point);
      if (!seen.has(id)) {
        seen.add(id);
        order.push(point);
      }
    }
    return order[k];
  };
  return {
    next: (history, affordable) => {
      const k = history.suggestions.length;
      const point = k < spaceSize(dims) ? kth(k) : undefined;
      return affordableOr(point == null ? { done: 'every point of the space has been proposed' } : { point, epochs: epochs(point) }, affordable);
    },
  };
}
