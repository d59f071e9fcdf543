/**
 * How many `next start` processes `npm start` runs: `WEB_CONCURRENCY` (a whole number, or `auto` for one per
 * core), 1 when unset. Always 1 on the embedded database: PGlite opens its folder from one process only.
 *
 * @param {Record<string, string | undefined>} env
 * @param {number} cores
 * @returns {{ workers: number, reason?: string }}
 */
export function workerCount(env, cores) {
  const raw = (env.WEB_CONCURRENCY ?? '').trim();
  if (raw === '') return { workers: 1 };
  const wanted = raw === 'auto' ? cores : Number(raw);
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > 64) {
    throw new Error(`WEB_CONCURRENCY must be a whole number from 1 to 64, or "auto" (got "${raw}")`);
  }
  if (wanted > 1 && !(env.DATABASE_URL ?? '').trim()) {
    return { workers: 1, reason: 'the embedded database (no DATABASE_URL) is opened by one process only' };
  }
  return { workers: wanted };
}
