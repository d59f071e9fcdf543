/**
 * The V8 flag `npm start` sets for the old generation's growth, from `HEAP_GROWING_PERCENT`; unset, 900 on
 * Node.js 20 and V8's own heuristics (0) on later Node.js.
 *
 * Why 900 on Node 20: under load the slowest responses of `next start` are the ones in flight during a
 * mark-compact collection (BENCHMARKS.md, change 18: in a fast run 95 % of the empty route's responses at or
 * above its p99, against 1.3 % of all of them). V8 starts one when the old generation has grown to a multiple
 * of what survived the last one (~4× under load by its own heuristics), and Next.js's request path leaves
 * ~20–25 KB of every request's garbage for the old generation, so at ~1,000 requests/s one comes every ~4 s.
 * Letting it grow to 10× its live size makes them ~2.5× rarer and lowered p99 in most side-by-side
 * comparisons, at a price: peak resident memory ~730 MB per process under that load (~315 MB without), longer
 * pauses (~25–40 ms instead of ~10–20), and 3–12 % fewer requests per second (BENCHMARKS.md, changes 19, 21).
 * Why not on Node 22+: measured on Node 24 it bought no p99 and cost 7–33 % of the single-event requests per
 * second (500-event batches, though, ran 8–9 % faster with it; change 21), so later runtimes keep V8's own
 * heuristics unless the variable says otherwise.
 *
 * `HEAP_GROWING_PERCENT`: a whole number from 0 to 10000; the old generation may grow to (1 + n/100)× its
 * live size before a full collection (`--max-old-space-size` still caps it). 0 leaves it to V8's heuristics.
 */

/** The default for a Node.js major version: where a larger growth factor was measured to help, and nowhere else. */
export function defaultHeapGrowingPercent(nodeMajor) {
  return nodeMajor <= 20 ? 900 : 0;
}

const runningMajor = () => Number(process.versions.node.split('.')[0]);

/**
 * @param {Record<string, string | undefined>} env
 * @param {number} [nodeMajor] the Node.js major the server runs on (this process's by default)
 * @returns {string} the flag for v8.setFlagsFromString
 */
export function heapGrowthFlag(env, nodeMajor = runningMajor()) {
  const raw = (env.HEAP_GROWING_PERCENT ?? '').trim();
  const n = raw === '' ? defaultHeapGrowingPercent(nodeMajor) : Number(raw);
  if ((raw !== '' && !/^\d+$/.test(raw)) || n > 10_000) {
    throw new Error(`HEAP_GROWING_PERCENT must be a whole number from 0 (V8's own heuristics) to 10000 (got "${raw}")`);
  }
  return `--heap-growing-percent=${n}`;
}
