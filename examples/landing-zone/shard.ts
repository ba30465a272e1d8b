// Shards: `--shard i/n` runs the clusters whose name hashes to shard i, so n CI runners share an
// inventory with no scheduler of ours. The hash is rendezvous hashing over the cluster's name:
// each shard scores the name and the highest score wins. A cluster keeps its shard whatever
// else the inventory adds or removes, and going from n to n+1 runners moves only the clusters
// the new shard wins (about 1 in n+1). Stacks of removed clusters are partitioned the same way,
// so exactly one shard reports each.
import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based, as CI systems number their parallel jobs */
  index: number;
  count: number;
}

/** Parses `i/n` (1 <= i <= n); undefined when the text is not one. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const [index, count] = [Number(m[1]), Number(m[2])];
  return index >= 1 && index <= count && count <= 1000 ? { index, count } : undefined;
}

export const shardText = (s: Shard) => `${s.index}/${s.count}`;

function score(name: string, index: number): bigint {
  return createHash('sha256').update(`${index}\0${name}`).digest().readBigUInt64BE(0);
}

/** The shard (1-based) of `count` that owns the cluster or stack called `name`. */
export function shardOf(name: string, count: number): number {
  let best = 1;
  let top = -1n;
  for (let i = 1; i <= count; i++) {
    const s = score(name, i);
    if (s > top) [best, top] = [i, s];
  }
  return best;
}

/** Whether `name` belongs to `shard`; every name belongs when there is no shard. */
export function inShard(name: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(name, shard.count) === shard.index;
}
