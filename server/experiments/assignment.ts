/**
 * Deterministic, sticky assignment to an experiment's arms, as GrowthBook's SDKs do it (hash version 2): a
 * lifter's bucket is FNV-1a (32 bit) of FNV-1a of `salt + user_id`, modulo 10,000, scaled to [0, 1); the arms
 * split [0, 1) into consecutive ranges by weight, in their order. Same salt and id → same arm, on any machine.
 * The arm is stored at enrollment, so later changes cannot move an enrolled lifter.
 */

/** FNV-1a, 32 bit, over the string's UTF-16 code units (as GrowthBook's JavaScript SDK hashes). */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash += (hash << 1) + (hash << 4) + (hash << 7) + (hash << 8) + (hash << 24);
  }
  return hash >>> 0;
}

/** A lifter's place in [0, 1) for this salt. */
export function bucketOf(salt: string, userId: string): number {
  return (fnv1a32(String(fnv1a32(salt + userId))) % 10_000) / 10_000;
}

/** Consecutive [start, end) ranges of [0, 1), one per weight (the weights sum to 1). */
export function bucketRanges(weights: readonly number[]): [number, number][] {
  let start = 0;
  return weights.map((w) => {
    const range: [number, number] = [start, start + w];
    start += w;
    return range;
  });
}

/** The index of the range holding `bucket` (the last one when rounding leaves it just past the end). */
export function armIndex(bucket: number, weights: readonly number[]): number {
  const ranges = bucketRanges(weights);
  const i = ranges.findIndex(([start, end]) => bucket >= start && bucket < end);
  return i === -1 ? ranges.length - 1 : i;
}
