import { createHash } from 'node:crypto';
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { invalid } from '@/server/errors';

/**
 * A slice of the lifters for one worker of a batch job: `k/n` takes the lifters whose stable hash of `user_id`
 * falls in bucket k of n (k from 0 to n−1). The hash is the first 32 bits of MD5 — the same in SQL and here, on
 * every PostgreSQL version — so n workers together cover every lifter exactly once, whatever order they run in.
 */
export interface Partition {
  index: number;
  count: number;
}

export const WHOLE: Partition = { index: 0, count: 1 };
const MAX_PARTITIONS = 1024;

/** `2/8` → {index: 2, count: 8}; refuses anything else with 400 naming `field`. */
export function parsePartition(text: string | null | undefined, field = 'partition'): Partition {
  if (text === null || text === undefined || text === '') return WHOLE;
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_PARTITIONS || index >= count) {
    throw invalid(`${field} must be k/n with 0 ≤ k < n ≤ ${MAX_PARTITIONS}, e.g. 0/4.`, [
      { path: field, message: `must be k/n with 0 ≤ k < n ≤ ${MAX_PARTITIONS}` },
    ]);
  }
  return { index, count };
}

/** How a run is named in `job_runs`: `all`, or `k/n`. */
export const partitionLabel = (p: Partition) => (p.count === 1 ? 'all' : `${p.index}/${p.count}`);

/** The bucket of a user id among n (what the SQL condition computes). */
export function bucketOf(userId: string, count: number): number {
  return Number.parseInt(createHash('md5').update(userId).digest('hex').slice(0, 8), 16) % count;
}

/** The condition "this user id is in the partition"; undefined for the whole. */
export function inPartition(userIdColumn: AnyColumn, p: Partition): SQL | undefined {
  if (p.count === 1) return undefined;
  return sql`mod(('x' || substr(md5(${userIdColumn}), 1, 8))::bit(32)::bigint, ${p.count}::int) = ${p.index}::int`;
}
