import { createHash } from 'node:crypto';
import type { Trial } from './trials.js';

/** The `i`-th of `count` slices of a sweep (0-based, as SLURM array and Kubernetes indexed Job ids). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** `i/N` as given to --shard, or what is wrong with it. */
export function parseShard(text: string): Shard | { readonly problem: string } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match == null) return { problem: `expected INDEX/COUNT such as 0/4, got '${text}'` };
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1) return { problem: 'the shard count must be at least 1' };
  if (index >= count) {
    return { problem: `shard index ${index} is out of range 0..${count - 1} (indices start at 0: a SLURM array is --array=0-${count - 1})` };
  }
  return { index, count };
}

/**
 * The trials of one shard: trials ranked by a hash of their id, dealt round-robin.
 * A trial's id hashes its grid point, so reordering the grid in the file moves no
 * trial to another shard; dealing by rank keeps the shards within one trial of
 * each other in size.
 */
export function shardTrials(trials: readonly Trial[], shard: Shard): Trial[] {
  const rank = (t: Trial) => createHash('sha256').update(t.id).digest('hex');
  return [...trials].sort((a, b) => (rank(a) < rank(b) ? -1 : 1)).filter((_, i) => i % shard.count === shard.index);
}

export function shardName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}
