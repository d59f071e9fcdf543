/**
 * The V8 flag `npm start` sets for the old generation's growth, from `HEAP_GROWING_PERCENT` (default 900).
 *
 * Why: under load the slowest responses of `next start` are the ones in flight during a mark-compact
 * collection (BENCHMARKS.md, change 18: in a fast run 95 % of the empty route's responses at or above its p99,
 * against 1.3 % of all of them). V8 starts one when the old generation has grown to a multiple of what
 * survived the last one (~4× under load by its own heuristics), and Next.js's request path leaves ~20–25 KB
 * of every request's garbage for the old generation, so at ~1,000 requests/s one comes every ~4 s. Letting
 * the old generation grow to 10× its live size makes them ~2.5× rarer; the live heap stays the same (~40–60 MB),
 * the garbage awaiting collection grows (peak resident memory ~730 MB per process under that load, ~315 MB
 * without), and each pause is longer (~25–40 ms instead of ~10–20). BENCHMARKS.md, change 19.
 *
 * `HEAP_GROWING_PERCENT`: a whole number from 0 to 10000; the old generation may grow to (1 + n/100)× its
 * live size before a full collection (`--max-old-space-size` still caps it). 0 leaves it to V8's heuristics.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 900;

/**
 * @param {Record<string, string | undefined>} env
 * @returns {string} the flag for v8.setFlagsFromString
 */
export function heapGrowthFlag(env) {
  const raw = (env.HEAP_GROWING_PERCENT ?? '').trim();
  const n = raw === '' ? DEFAULT_HEAP_GROWING_PERCENT : Number(raw);
  if ((raw !== '' && !/^\d+$/.test(raw)) || n > 10_000) {
    throw new Error(`HEAP_GROWING_PERCENT must be a whole number from 0 (V8's own heuristics) to 10000 (got "${raw}")`);
  }
  return `--heap-growing-percent=${n}`;
}
