import { InternalError } from '../../errors.js';

/**
 * The share of training tokens whose word has a pretrained vector: `counts[i]` is
 * how many training tokens are vocabulary[i] (padding counts 0; the
 * out-of-vocabulary token counts the tokens no row holds, which are not found).
 * NaN when there are no tokens: no share to speak of.
 */
export function tokenCoverage(found: Uint8Array, counts: ArrayLike<number>): number {
  if (counts.length !== found.length) throw new InternalError(`tokenCoverage: ${counts.length} counts for ${found.length} vocabulary rows`);
  let covered = 0;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i]!;
    total += count;
    if (found[i]) covered += count;
  }
  return total === 0 ? NaN : covered / total;
}
